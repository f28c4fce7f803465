from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    # The reservations' history, and guest search keys (see core.models.guest.Guest.save) backfilled for
    # the guests already stored.
    return """
        CREATE TABLE IF NOT EXISTS "reservation_changes" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "type" VARCHAR(50) NOT NULL,
    "changes" JSONB,
    "actor" VARCHAR(20),
    "source" VARCHAR(100),
    "created_at" TIMESTAMPTZ NOT NULL,
    "reservation_id" INT NOT NULL REFERENCES "reservations" ("id") ON DELETE CASCADE,
    "restaurant_id" INT NOT NULL REFERENCES "restaurants" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_reservation_reserva_f32f67" ON "reservation_changes" ("reservation_id", "created_at");
COMMENT ON TABLE "reservation_changes" IS 'One entry of a reservation''s history: created, changed (``changes`` is ``{field: {\"from\", \"to\"}}``),';
        ALTER TABLE "guests" ADD "name_folded" VARCHAR(255) NOT NULL DEFAULT '';
        ALTER TABLE "guests" ADD "phone_digits" VARCHAR(50) NOT NULL DEFAULT '';
        UPDATE "guests" SET "name_folded" = LOWER(regexp_replace(btrim("name"), '[[:space:]]+', ' ', 'g')),
            "phone_digits" = regexp_replace(COALESCE("phone", ''), '[^0-9]', '', 'g');"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "guests" DROP COLUMN "name_folded";
        ALTER TABLE "guests" DROP COLUMN "phone_digits";
        DROP TABLE IF EXISTS "reservation_changes";"""


MODELS_STATE = (
    "eJztXXtv2zi2/yqE/9kWSHunaZMdpIsF3MSdejdxehNnuth6INESbRORSa8edb1z+90vSb"
    "0lypEcS5ZVAgXqUDyk9CN1dM7hefzZW1ITWc7rPu4bLv6G3U3vAvzZI3CJ2A/J1RPQg6tV"
    "fI03uHBqie4Qa9DviJG4AqeOa7MmdnEGLQexJhM5ho1XLqaEk9wSBGxkUNtEJnA9m5wAl1"
    "ILGNCyTjiRNYXG4wlAtk1twP4R6uIZNiAfAEDXRcuV+5rPZVKDTYbJfL/DegT/x0OaS+fI"
    "XSCbDf71D9aMiYm+s4dkf37t2chxoWdD4mrY5ESGjaCLTA26vT9479WjNsPIMlPg+l1Fu+"
    "ZuVqJtSNyPoiN/oKlmUMtbkrjzauMuKIl6Y+Ly1jkiyObzsTbX9jjKxLOsYFVC4P0Hibv4"
    "T5CgMdEMehZfK07t30Dc1tO00e1Yux+MNa2XW8eQIrEGQZNBCd8D7FYd8fRzfguvTt+8++"
    "u7X9+ev/uVdRG3GbX89Yc/dQyMTyjgGY17P8R16EK/h1iCGFQBTQ7WywW05biG/TPIslvO"
    "IhviuA3asCHGNt72TYC7hN81C5G5u2B/vvnlly1Q/t6/u/zUv3vBer3kU1L2nvpv8Si4dO"
    "pf43gnOAJyHDiXQDxG3wu2boJkJ5SD7dkWkLdgOh78a8xHXjrOf6wklC9u+v8SKC83wZXr"
    "29FvYfcE9JfXtx8yiDPmsmJ3UAnyJI3CvDrmbPoZNhExJKh/tCgsgD1NlgF+xuk6Bf3V7c"
    "OH6wH4fDe4HN4Pb0cpsP2LvIk1YFdAcDfoX+f4iQs5M8/j/I/721ERQ4lpMiCb2HDB/wEL"
    "O92CmoOxfZdnNzTHhjru3BajiAFyuzyWUnLoX7ErLl6igo2eosyuQUD6OvxxjF9S9oDmLb"
    "E2wS7ZxoCGN4P7cf/mc2p9rvrjAb9ymn4pgtYX55k1iwYBX4bjT4D/Cf59OxpklzHqN/53"
    "j98T9FyqEbrWoJmQ5MLWELXs9yQtrJaUQHN0Twujx7DQe5BHuYQ/e5SKozFokg8JtRGek3"
    "+ijQB8yO4Lyj8dgRp2lxrsyID+Ee6nsDXerjZcR+pRfpsxHNjTI/8Lctm/v+xfDXoCc67C"
    "raFtainw+RV6SjMtUd/8peXpMtsCCRNYzeBZ+J2HivAKj+kjIj2ZkhxeO9mqIq8w0yVZt5"
    "L6cR9MEbSRDQQRmDFVlWGH5mzlqe28B5TxKIBdB9x/6r86PTsHC+gsAHaAw64jM68Z72PA"
    "p3VipfQ2qfSK/3OwFiu9YX+l9JZTesWrovEXoZJpIUW1H6wPu41TSJ+/KwH0+btCnPmlNM"
    "wrG83w9yoQxxRd3MqnZXbyafFGPs0CbFOrgE8MiLfMSSFp8S+gbTPQvf7VzXB0AaC5xGRC"
    "7rio/HDXH40vQCxWTAhr/fjxgn3Q4GyW/T6WWZjTMizmtJjDnOYYjNLEiqHvriZmQcfVPG"
    "endc/S7mHlj8ca0qaFDjF5Quf+xoSBXdY5TalWud2rfEjLSssWdj86Twwu43V2NVgTFMpU"
    "9bSpisO1ByPVQzDMkYFb1jyV2FRyw5ScITRt/WsZM+iE8e+Skm/IdmDw8DkDYOr6yTYjoJ"
    "HoWcFPxlhAF1DC/onfhCDrQpjq5h7D7QRYkMw9du8nYIG5tW4DIDHZRWwi89XMomuu8rhI"
    "7i2zz8El9sGvmZchmIL/RN9dZBNoafwW+Lr/oYyJBzQmJlamrBkmQdJm88COdpi3Zewwb4"
    "vtMG9zdpjcjq+AtYy2g6Cfnp2VMbKcnRVbWfi1HxmF2+dhVfBO0jSHc88/R2rCXl7KXL7F"
    "Wp4FWXwG8ggXu3NEBM/y5dgN5r/NPGIIn8+phy0XE+c1n/bvdYHftItH8K2ushwJknYsCJ"
    "+vMwsi7HYw4U1d2eiXJO6gvbdLBiFl1i/+CnXXrC8UpmqmqiSJMv7ljX/KZ035rB2/2SrH"
    "JPaA72/hOMfFIMoim2SMKVDZDYDRw/X1oYyBPu4SK2C0IMXmP/FQpf3/4s31l8AYB144iI"
    "e18fGArvvD6frL9+yPFdsjSNdjhz2ACRi8fnP+TuYKuNexd4qUE2OqIDnlL9glO5O/qSsA"
    "HBF0IVgrDfBZGQPTWbGB6SxnYEJLiCuZpyOC7qGrzKTHaiYl1PVj5MvGdEYEXdjFjQd0Kk"
    "vMT2iJ4f9rM2qZqNIRW4asQXbWDDOrT+bRTDzHroStPSH6JOg6h/b+BSBlDVPWsBbbbJ7t"
    "xJXKw5B2lErj/yEg//jPO2RFfldy6LPeWUcpL+WwT/EFnnrCjXIv7Q6VMGEN/cE2HdqoWS"
    "aK7G/72Fl38UhdAqt262m0w4qsqMkt+IQ1VUvv/aftql8WFMDA5ImdnOMjBGPGseY2XALu"
    "8QuwecLaviyg6/RXK/Y4yymyedMaTV8J10kHOQ4bO29lrXWmHT0tlZOlcrI8NONpzMlyR/"
    "9K5VpZRf1TBpZi9LtrYDmEq0vrllf5urQcXaXd/1y+LscKbaGzy4ED34ZBfij22PfIdf1H"
    "zalskl4n2/Q2HPfXHJ+gpO52n/RQkQ2j6++ZlsQECxd8gxZDFWDiMA2RdY+7AGij0I8FEc"
    "PerFxZvqy6JyuhwYnXQOlrKq10K9SHWjJsJRlA6bihBE3zkSqHORyvJSYFO35QiWSHf6DU"
    "QpAUMI8kXWYFpoywLuhDxtIs9B9ub69T0H8YZh0PHm4+DNjWF+sQZz3Oi/hKWS7mNd1Vlr"
    "2VueOqpynVqrdl1SVBYLJzJqXOK3X+QDLEcWdc+WxTAzkOMm+CEiIStTPX52Sb0rkKe2tB"
    "VZKyYRiEaXVT6hETBIQAM7WQH8etoQOgYSCu0QHKdtR71o6AvxHAI9qAJXxkWiEETPlDFh"
    "OXeO4UQOgrupLEZNQ4UbXDwmB6dVZ4aN1TnRXWflaY2OsVUE5TdRBodVKoxOASYrCqOqLE"
    "4JYC3QkxOOlgKJGAM/6HxcJv1uWxVPURSh8ZwJmw4ORIuv5SWmWkFOGETIiuc5at6/+j65"
    "xvB4clXLRNhSdb1IAWE4It65XBfj+Gpy28o+9dB51HNtWM2u/5oIzUdh32sRAjI2L6v6PB"
    "2dMzLuMiflzDXgHXASaymdDMRrDpkndZgjV2F/zXhKRuhd8m+C8lDLH1AhuiC6BM3rbgCt"
    "iexYVwYopW9N2wPO6uB+I9yB39XvNbFKj4AdW875Jd9JF6z+R2gy6nmLDbCZFcQEe4DjIE"
    "aFCodMXruHCC3QOwOfY91u2ryMPlOf7vXLcITRWr3az0b0qzqXFBSY5r2H+beHS8jFyGIR"
    "dvsgVbsCzA/ZpzkHGheBkSFSF3pELlE0JkSlKUSomxNP9rVpY3PTv67pR875MkKtVR/mwo"
    "Tg5SxaFOdgj684rG2XSUXkFE4tNVb2LqBuMSAz23Vw3h3uXdgHHCqwsQ0E/I5e3o4/DuRr"
    "Tx0rT2krfeB92cqNfN5+uBT0mXKy708tb+6HJwLRo5MhZvG91q959uv7Clo5qzoOsJ4Zxh"
    "+DvvBW1jwaWnrChYys6w/4I6dLlERPYeFQfYJ2lUjH31GHuHerasYHKxAS2m6ALeDbjJBG"
    "+x74D2RlKNbqu/hoS6Qa+NqOV43TaS+J0+C/1Thb5ymlF246ftxrHdoeKipwg7uOZHssYS"
    "F5n8IgfGuapLnCBTC9zqBVaub13j3WVc31R0oIoOPC50xVlKNWCTJMqeKYGUsWXHohW3a4"
    "ZKAavO/A915q8iWeuIZM1x3T2gOg7HOS7GUBbU5JemIBe+jPHuA9jEUB3FNv29qVxqoETF"
    "rR1Til0uIJkfo2JTmFgsuUljX5b9JWErywaOBrCGfMuCnbbdwyzejqX8zHiVSlI6yoLXoU"
    "XEtTeAzkQYQzTOX5yw7Gx0vHkC/LFN8ELXg2l8Xypd/1M8PXuSSY87c03Y9JOeSydMhNL1"
    "lyfZM8rGJp4Q/0A5GoHa0fEqr7DB0KG2P9aEWzBns0mP95n4X1T2x4sRdwGbsTbo3w+7R3"
    "6Ui0StXv9AjbvVfbGx6yICphvhWhb6kCEyx4xe+LUhaCySjwrQN4ZBFU+yaJV9rpmwsysn"
    "MZWeoDFwa063nGBhaXyLUxMkSJ6VmaCd0pQM2VoSEwh2WGVfRwTd8yfYv4+M8teo319DnV"
    "l37NyjZKxTRjIqb6TPECorvToDUXbldgBdo13ZTodwPR/lDiakl8CcYZYtjdkbB0BvM6tE"
    "NqtyVhXRWMGo4offLdidc4NAysDhR7ulwuWAR1xssbYpj7NjQoj4W9elZpP9DD0hL7j9Ah"
    "ETrCzPyUf/Tb3ZDNkvX4MvCywiCf3MY7p+Aj77X+/7/71m/aJ4uwlJBNzNqD3FJo/K2wDK"
    "LRrAJ0/G0tGZmNVhaxQ8lMi6EYT1OVszaCRfN3/BsikzvqbM94loOhVt17woUWxIUe6GP4"
    "E3Wor3VF3oHLFa7FYv9k6ZLVVay1089JXeq/Te40X3EL5/XcR0uy1Bqbk1qbmHdKg6VmwL"
    "PaqKjDTKEtaprErhCshtM4n12WqVCfqVTqkUk4gsQdzuEbpn+LmDcimTwhl03beOrLlhgp"
    "taoCUyAhHW35FmYap1rqe9RJTxoknjhfg/B+v2Ouc7H+a2jSc1kLmSaZ3sBamUUyJB0oUj"
    "86ZTSoji8FW2dETQBbTrdmxCSyizf22pjRkSdA/dWhjGGk0dLEvfVgxxgkSBXC6fsIcdTJ"
    "BW1QcyS9c9uGtxaVrZ2ECaHXqBl2bMabLugV2D3ylcQSMof15SUk6SNGeQevdLqwXmhAD3"
    "ba4l7Sk7pC/cNkRziL85PRbI6QoRNp+2oJ5dyYU6R6gcqXd3pFZ+qMUbvrt+qHxF/ltRgU"
    "rSNJjy8mF82WvkM33+rsRn+vxd4WeaX0q/W4JBaeg7L8wjj2MsZnIy2uZLWfb+NvOIIZyg"
    "ph62XEyc13zav9e1JE2zvyUm7CVxuQTKfnquLJin8IsvJ27uW//2WD71/D2D5jd+7qGZcF"
    "MJYwlpcwifHwvCfoQ6cbn0ae2wlQvpG5Rcz44Ea9/hdAeQ84TNoXssG9mCjqvx/NNcwq8O"
    "cRG5ShMkcWvxbIYIT29RRTBJU7VDJOHzdUYk4XYavnnZh8/gLuZVtr+UVu39/N4PblCzIJ"
    "l7sJrBUkbboEKESDP60JtyJuItFuLcKall0TUyNWrjOa6mDklIFevZO+tRyViL343jNAZJ"
    "HOFzmZY8hwmlldxuEhTq4/KkbytHKw9uZb/Ah2CY48K2rENgYktVdQVMfGCwJuIzsItlQm"
    "2VrGF93PdH2hwhsyqXYG2FNZc+oufmV+uv8JgP0529mT4goYQL0vvIRHeZGKqru6qoSFkV"
    "nLqWAzUPEON0iLh7YFMCqqE/WGc5FbdLzu19vIHDeKR75HIjUVcxW9nUQI7DRPKgFv0zkf"
    "scjnfjD9dV3LKVkHdHrJtBSIVhnYW58FR2W5Xd9vmALdFyymSnBV49E7B7njv1Jhqtq3jF"
    "eWB2h6rTGyrM6/1cjMonQD8amOqMrcu+fpIAO8kbWhxlJ1Ihaxnu8HSs3TUmjw6AgJsdgE"
    "v97ERhPJy7QBuwpvYjwOQ9gATQNVtYsICOiHMTKZJtmgmL0/V8lF1ts0izDYV2pkQ0ajbX"
    "kIq6azLqjq+e/GDp6fLSIW2bI/B6/aub4egCQHOJyYTccUP0w11/NL5I7PMJYa0fP14A8a"
    "ZmX5EyB1E11IBWTq8dO+comXxVJUmp7US9+VOkLiLammOktoG7t3Mklbejs3k7hOJwjxzH"
    "f3i5YhFeL6FVOH7X0uk7HLZfkPkKEzC16ZrL/MEIr8F4gYDB02uw/6BtY+T4VVkQEyjc90"
    "zgt/xqLPef+q9Oz865FrAA2MlpFHVMwkvPsM1ungCHiuF5DhDqueCFWFn+l0i6StcveRpW"
    "PwVrMCmvDGNv1kwHQYCnRGVviEoA0kJVRBz0anzB5QpJga9nimo/qshhYa454kcpFsXQd1"
    "exQN9XmI22S536FGUHV/1IVlniJpdfZqXhKA2nBSL4Mzzl6hS+C2sZlChgUKVoQR+sFhsH"
    "G9AKctOl89T5Q+n6S1400aDLKSa8RddFljtdX9mY2tjdsAbT5nn+nSW0XQAdLvguwyqHGZ"
    "m7gRlL1lXMFQNwPUdVAlDJ9A4kQdeSR4iHVRe5EW6NxY6J1Ne2IAq7Oq4pIoWrLPba58JS"
    "jvD0QV9M3WAM2cxG4Z2UPuz7eDcYsMEY5YTcXl4+fB4Ori4ANQxvhZEpjv8Gd7/zNt8tjL"
    "c9jPq/94fX/Q/XjNQj8BvEVigOHP4YkCkIWPiufZdInRaFRUGWKbLMqs04XYl1a6crvAza"
    "q9sHtnzg893gcng/DKLOIsVMXBSySFT+4W7Qvy5CWpKyrAzSsrRlCmkZ0s4CVkt2GBE0yH"
    "5s6hGzIv/ZUUKpIfmesvH9hDa+WLHLr/rWgkFpwgaLBkUtR1s1KNScK4irSRKVXEWVCVLl"
    "cVsAdGPOBYcP42mnsKliUVTowPGHDkR4yQ4ZElhuOWdILly5+si8Jo4w9IsyroBXA45KG2"
    "fOAcLBdf3lCYgW1C91HOQsBiKtZ/6IodaZpMECUSEwrm4IkLjKka9NnOPJor86cWj0xCFc"
    "o7yyKcc17L9NxTxeriM1nTAVMZveDsuOaa7Zp84aF6roIVERckeqmD+hiKe0bammHRtEfs"
    "3aQ3ZIla9S46sThcyJwufB6Go4+u0CsM+XybCWnTG049RA2f+Koe+u/U+ZTupkeKrCsjJH"
    "HVx5PdnNHKXKK9dRXlkZ+dptjBFOthJDTOh8W2yE4f6r5X09WV9KwHrhRyY5ABOeSEFEIP"
    "EYLdZqZs0jYgJdl1Y9fvZ4KrCpXaaRhiuVtgzc+mtorqDjrCnjFlVjx3KEHXR/rQVx5V5c"
    "L74qK4vKytKSpfpZDSs5NbWMtH+AfNVt2walTqfjl/z5SlF5Jf9YdCKVU3J3vJL5MJ4JVi"
    "ILR1eQqlPb7iMbG4ueRN8Orpxs07hh3OcplbsYBqX4tkvx5ZUEpKeuxZpCgqTNAmyblAX+"
    "UlVAOOjeQXRrifRkM7pIdiBRXAgsQdJ8AbDDeGjsrdRXBbF7/x+zH/8PvcR23Q=="
)
