from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "waitlist" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "guests" INT NOT NULL,
    "date" DATE NOT NULL,
    "time_from" TIME NOT NULL,
    "time_to" TIME NOT NULL,
    "quoted_minutes" INT,
    "status" VARCHAR(20) NOT NULL,
    "channel" VARCHAR(32),
    "chat_id" VARCHAR(255),
    "language" VARCHAR(10) NOT NULL,
    "source" VARCHAR(100),
    "comments" TEXT,
    "tags" JSONB NOT NULL,
    "offer_round" INT NOT NULL,
    "offered_at" TIMESTAMPTZ,
    "offer_expires_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "guest_id" INT NOT NULL REFERENCES "guests" ("id") ON DELETE CASCADE,
    "reservation_id" INT REFERENCES "reservations" ("id") ON DELETE SET NULL,
    "restaurant_id" INT NOT NULL REFERENCES "restaurants" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_waitlist_restaur_c88c82" ON "waitlist" ("restaurant_id", "status", "date");
CREATE INDEX IF NOT EXISTS "idx_waitlist_status_2318ee" ON "waitlist" ("status", "offer_expires_at");
COMMENT ON COLUMN "waitlist"."status" IS 'WAITING: waiting\nOFFERED: offered\nBOOKED: booked\nSEATED: seated\nLEFT: left\nEXPIRED: expired';
COMMENT ON TABLE "waitlist" IS 'One waiting party: its size, who (always a guest record; the chat it came from, if any), the date';
        ALTER TABLE "restaurants" ADD "no_show_grace_minutes" INT NOT NULL DEFAULT 15;
        ALTER TABLE "restaurants" ADD "waitlist_hold_minutes" INT NOT NULL DEFAULT 10;
        ALTER TABLE "restaurants" ADD "correction_window_minutes" INT NOT NULL DEFAULT 180;
        ALTER TABLE "restaurants" ADD "seating_window_minutes" INT NOT NULL DEFAULT 60;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "restaurants" DROP COLUMN "no_show_grace_minutes";
        ALTER TABLE "restaurants" DROP COLUMN "waitlist_hold_minutes";
        ALTER TABLE "restaurants" DROP COLUMN "correction_window_minutes";
        ALTER TABLE "restaurants" DROP COLUMN "seating_window_minutes";
        DROP TABLE IF EXISTS "waitlist";"""


MODELS_STATE = (
    "eJztXX1z2jrW/yoa/rnpDO225KXZdGdnSEJa9lLIk5fbO3vZMQIL8MRIrG1Ks7v3uz86sg"
    "1+kYlNwNiuZjrTYOvI8DuydN7Pf2szphPTftc0miPH+G44z7UL9N8axTPC/5DcraMans/X"
    "9+CCg4emGI4NDbsDDSLu4KHtWPwSvznGpk34JZ3YI8uYOwajQNKjBFlkxCyd6MhZWLSOHM"
    "ZMNMKmWQcic4hHT3VELItZiP+jzDHGxgjDBAg7DpnNnXfwLJ2N+MMMOtnttAtq/HtBNIdN"
    "iDMlFp/8j3/xywbVyQ/+I/nHP2oWsR28sDB1NEMHopFFsEN0DTu1f8Ho+ZM2Noiph8B1h4"
    "rrmvM8F9fa1LkRA+EHDbURMxczuh48f3amjK5GG9SBqxNCiQXP49ccawEo04VpelzxgXd/"
    "yHqI+wsCNDoZ44UJvAJq9wusr9U0rdt70O5bD5pWi/HRpwjwwLs0YhTWAP+qtvj1E/gKbx"
    "sfTj6enB+fnZzzIeJrrq58/NN99BoYl1DA032o/SnuYwe7IwQL1qAKaGKwXk2xJcfVHx9B"
    "ln/lKLI+jpug9S+ssV0v+zzAneEfmknoxJnyjx/ev98A5W/Nu6svzbsjPuoNPJLx99R9i7"
    "verYZ7D/AO7AjEtvFEAvED+ZGwdAMkW6HsLc+igLwB04fW7w8w88y2/20GoTz62vxdoDx7"
    "9u50et3P/vAA9Fed3mUEcb65zPk3yAR5kEZhnh1z/vixoRM6kqB+YzKcAHuYLAL8GOgqBf"
    "117/Gy00K3d62r9n271w2B7d6ES/yC4QgI7lrNTmw/cTBs5nGc/3Hf6yZtKGuaCMi6MXLQ"
    "/5Bp2NWCGsDYvMqjCxqwYbYzscQsYoLYKl9LKTH0r/kdx5iRhIUeoozywCN95/9RxpOU/0"
    "C9R81nb5Vs2oDaX1v3D82vtyH+XDcfWnCnEX4pvKtHZxGerSZB39oPXxB8RP/sdVtRNq7G"
    "PfyzBt8JLxymUbbUsB6Q5PyrPmrR8yQsrKaUQGN0LwujZWD0DuRRkPDHT1JxdA2a5CBhFj"
    "Em9FfyLABv8++F5UeHp4bdhSYrGdB/+uvJv7perhZertSj+DLjOPBfT9wT5Kp5f9W8btUE"
    "5qDCLbGlayHw4Q5rsMiV1dj4rVljFr2CKRdYde+3wDf3FeG58cCeCK3JlGT/Xn2jijw3uC"
    "7Jh6XUj5toSLBFLCSI0Jirqhw7MuGcZ5b9CTG+RyHDsdH9l+bbxukZmmJ7igwb2fw+0eOa"
    "8S4mfFknVkpvnkqv+D8Ga7LS649XSm86pVe8Khq8CJlMCyGq3WB92GUcQvrsJAXQZyeJOM"
    "OtMMxzi4yNH1kgXlNUcSk30qzkRvJCbkQBtpiZsE+06GIWk0LC4p9HW2Sga83rr+3uBcL6"
    "zKB9egei8uNds/twgdZiRZ/yqzc3F/xAw+Nx9HxMw5hGmi2mkbzDNGIbjNLEkqGvriZmYt"
    "vRFvZWfI/S7oDz5bGGFInRPiYv6NzfuTCwDZ/DlIrLxebyIS0rBWPsbnSeNbh8r7OywRqg"
    "UKaql01VANcOjFSP3jQlAzeteSqwqOSGKfmGkLf1r2CbQSWMf1eMfieWjb0fHzMAhu7XNx"
    "kBR4GRGeJkRlPsIEb5P/E3pcS8EKa6yYLjVkcmppMF/+51UG2chV1HUwOsds/oaAmkzpSg"
    "Tucrsgmx3yBMdU5o6ER/OzbZUtAQeSRNHg/uc4VtMHDpBwMwOA4G/FE6G4/5x+XUMAnCaM"
    "5hgwAdai/5X2Ji8R0+rUdzUcmlX04J5SP48/mslpNsu/wj8qJ6PxH+JD8cYlFsagABrMl/"
    "vRz84/4G+EsI6dgPnVKRQLkaRQNcTGtOCpAU2cyxpT3pOI096TjZnnQcsyfF3o4MWMtoKw"
    "h64/Q0jbHo9DTZWgT3/owYDtz9NgveQZr8cK65/rA87P6pzP4brP5RkMWxFEc4OSxlRfCq"
    "mJTtYP7beEFHInZ1uDBMx6D2O3js3/cFft6hKp48kYUdAZJiMASeVxmGrIWcbZwJa+octy"
    "IhiJGMDKg1rx7av7UukEvdp1+a3eseuA88cXMbB8KHszSbVdSUFdiszqKb1Vr2zWpgDFMq"
    "A2ORDYxhfSIjo2PEFXQWVYnZyieYvJtW1ycorBnZ7NxBEuU5iHsOVMCrCngtv807tknsAN"
    "/P/jzl2iDSIhvcGEOg8i+Auo+dziZPQizlTaLsXHqUN7/eEXNl95djHfQOfF1nxFVkUf+Z"
    "l+PFh+4F/0sA4XRuGC3I5XTuGI8CsTHCKDjXLzbHBFOXAB15TpIhcyDRWESdvamjJ8Lvjf"
    "0LyGEIhBrhHHG9G3JXTB4PTZPyHMLOfcV870hqF8elMflZvBx/bTSOjz823h+fnZ+efPx4"
    "ev5+de7Gb206gC/bn+EMDomnL/tCKh/4+fmRC94Xri+wTy97/G++9F8f6nmewlBznminOY"
    "8FkpMfknM7OY/XH19k7HeinO8liVcp0D+DnYTfnLKMoWEhGqUzx3VmyfGeEloJpdKbX9ab"
    "R5HgoVdqdtFYpJKBnVbDkyy2l7Vn9+XfAcgpQx0LtlWkxTa0R2ZWn/epD7pmC4kGuLJnJO"
    "t8QkJMnXu7ts384gW7oSObQEkpmA8NBu50g8EbCECb8zVC3NgzN1kWGRS13n04O5Gl4e50"
    "7q2qVIk5VViaytWtUmyUu6gzALwiqEKhpDDAp2mCok6Tg6JOY0FRZIaNTCGVK4LqoatC+2"
    "q54Lz70D7KHJk5P9kOsyKowirO2w7j4IkE7OTAPX+8itrbzApV8UvFlKSKKYH/tTEzdZIp"
    "Qj9CluPJks+5sj/xU9ONieEkRMdukEIDdJVDe/eyqIrrUXE9BbafvTqXVW4c3mEYSmlF13"
    "j4ST1ktiLUWZWg3x4qYU1su5M9V2ihhsBiC2fIJDW3sgDVE3OkD2oq46LibzOxvu/iDbxb"
    "z1TVRbXEhuPradsD9c2bpUUdq1Lv3959I6tNK8lHEtzVXvCVaOHt9GWvybcpQ9hzaBh2rG"
    "wApOwbuvjPu4aeuOIicvlnaPiMjjCCIht8UB0S/kEu5j9yNiQWfLb5LsMf9CbuUcnxuVvW"
    "EJCUD1C+F1US4IAm7D2WBNiyGoAqBJDF2qDsecnoV9eed4gcscKxVyWJFRxdZUz6uZLEyg"
    "ptYpbYgcvNtb2uDPxn3xPHcX9qTJ2TjKpv0umM9XjNdglS6nX3wdg02TSDwSeuJnHBwkHf"
    "sclRRQa1ufbIh6+HIGwRP4KN0JH1PHdkXSr2/bAUGpx4DZS+ppo5FkJ92Etfi+AGkDY6I0"
    "iTf4TGYcJi9hKLYdjauiJRxErKmEkwTdg8gnQRDgw54b6g9zeWfKG/7PU6Iegv29GQo8ev"
    "ly2+9AUf1r0GJTktSln+CZXlxVzfkuthSsX1onDdxyjAdpm7TqnzSp0/kAxR7jrnYXe+RO"
    "eM+ftfciGugwyyVdZwmPDhuT69sEMPHQ0G3p+DQR2JDwDmYPCmjjAUD7fI3DQIaIFHIH5J"
    "PIb7fVSalKx1HUxKfjj8pHHIbA7/1/hQScZWwBsVKJvszaISuXJVTp/4z8qinPrjK6ic7t"
    "6NqBN9MdeeiKTKZTLCIaLK9VvcjwNRecT3vZS3qI2vSuKrvLki5s15ck4Wc2GAROVz7dyG"
    "OMfPJsOSvSWZIQGSYjCkUn0KSlgWf06o7rkNM3CgdtvqXre7ny+QR9+nV51m+2vr+gKNTG"
    "zMiN6n9/4Y2x/DrzyIj06fXrc67d9ad0DB9UbjO7GA5qbZ7sClMTZM+HzZ6V39CheGJhs9"
    "iVl/bd/ewhX7yZjP3eS0w1fg93Q3Ce+Tq1AFSPKzM73f1+Gz44icqEYcw3Wz9VZCXkETbn"
    "lNtnFLvbdtaAvqyGpMvOCiiRKrThZl4PUwk4IfpqpCLYbwqXR2kuJUOjtJPJXgVlQtsh2N"
    "WJas3llyuYswVRVwzrvmBUg4WxxaATK1fxV5/1oJrFswOUqrOF1kTquokeTDq5zxAypq5G"
    "fkepqoEdV8aR95NX62e+ZInAihglelLak4p0IAXaG0pYJtELvLWkrYhXezdDNUMCkpwPHz"
    "p0gxercWGxHbJvqGML3YmPqmSL25PzpjJ6wmRQYdsgXVV7F0oswGdtAS2wiPRgSyrhDjS+"
    "qTKL/hrgT0RJ7RDD8RPgZxZdhVip/5B8resrmkYvoeH5StoIf3eFXP49AheCp6ae/RS4G1"
    "ngHlMFUFgVbVPJTRITRue1OTUuGUCldsObi4qSpBTUQiAUcUlWThN1rdMU1voCFjTxzgSN"
    "Oe4EyDgSTpJC1hn/bpYABb9mDwl8EA9m2voAGItqHmQSYbYZMLwab5dgRBUn5FBBjoJrRg"
    "+4k/asysTzApJ7Ucmx8WYmZCdffv1eT81/NdxiFQUoG/Ao6NdGJxoZnPYLGZWzBvaThT+K"
    "tPQ18Fvib6D6McseXUGIkhiHF528RzZC1MEMKpW4WP/BiZC6iph9ZrECrwvYOvKFBx2x3B"
    "2Bm/6SL1SbS9nQ0Nyr+Oj+QU2yJhhyPAoRDhhXNiuQTbt0cC7N08HD/BRpqTs0JTJeDkK/"
    "0L/kgFpQS/qzd+k3hU3o1chiGIN9FmHIas/VQHdpCHRPHSJ0pCrqRC5QtCZEhSlEqJGzr9"
    "6gsrwdyW+N4HSZSvI+7rWLfuy+Kbyzm6tkR4ljBW3dNza9kQrl3dtfhOCJHpLn2fXvW6N+"
    "07N1qd0bFhefHq7jB7NerrbaflUrLZHIReuNrsXrVEjPoIkBFR6t2edv+l942zjmn2lC37"
    "FHaG9m8wClujKUhPUVEwlZ0hTQ5PIzmHpxHL4eE/ZEao7D1KjgcM0qhoQNUBq8wJOmxhjT"
    "JlCa4pqrD0c6gq5m2oruvswzSO9cbyVhLqHItcra6Ut8pVEL/Gq9BvKPSzou+f9RpYSrLs"
    "MjHC6m02e5BllMPkJ3SYrA1uGZkeIqwgz0vC41Rh955VOiuLA2SKwYVmsIqwr9reXdQI+8"
    "KxV8WAlwhd4UTMBmyQRBnyJZDybdk2WcblGqFSwKpgl58xX6Gs0GZLWHAjc16P6oM/T7k2"
    "hrSgBk+aEKj8C6DuY6dTk268uwA2MFVFsQ2fNwnwJse9qR7LWdsGTw3o1SOpCLNle+WrKa"
    "apwCrLnho2Na+C3XbXkDrtdllKwPyu1Bobj4n1StCyNqcuy/uYU7Su92pujtldv7+pIne1"
    "kRifMoAXir8TYB5iY5EYtprnFxt5O9EqYKSO3Ll1vxb8RFR7N6D4+3/Fr+e/pF8D302fP7"
    "5fc1ify+ZQIb4W4UduD+5TN0RnNQOzVgErnzg5R4dZ7lx9MI2Px/0ajOm7ohr/cNSFoNox"
    "v4bd78O/IwTHEGQ4NnL94hCo/M0yHIdQaKINwbp+VC6hE4PTi0hhgkfT4E9F5DvHIEtsbi"
    "QZM+DAUWG3qilbbuCGPJqnaTyap8kezdO4R3O9haUNFgqQvCpeqJgnVG6BQWI7zOSx9wmU"
    "p/5lT70Ku9p/2JUKhqiYQy1l9uhB6ysVjtXKuVZwdJXD4rAOi0PWAioxzAUuBhQz4G02q6"
    "yMfOmsKuJiBqOKm9A85d8cDAIhA4ebPxxKQEaiYDu/5rV3cAu4DwZSs8lupu7TI7BfEKqj"
    "ubmw4/nUwwUYCN+8Q9+mhsjNdvstQ/O/W/f0vv+/Dh+3ymDu00AK85hZQ0OHPOdnxMCigV"
    "zyYHYyG4un2pxH3o8SdYy8RGl7Y02i4OvmMixahOiPkF8okJ+s8pfzFyWSDSkqjvUnCHMM"
    "7T1ZGR0jVswuNLPdjV7iWNqUcrMmyjHTxt9HS5too/RepfeWF91DBJVWEdPNtgSl5u5JzT"
    "1kpF5ZsU0M1Usy0ihLWKXq1PkckNtmAvzZaJXxxqUuUrcmEXXXwO7hh2e41dhiRej8JwwG"
    "rnVkCYYJMLVgU9RYo3y8La1rt9dnvRwloowXeRovxP8xWJPduf74CkaB7KUWMNc6+QuSqU"
    "pPgKQKLvO8i/TMOWKZlvSKoApo7zuwicywzP6VjO6KoHro7mXDWJKhbcgKYiZDHCBRIKer"
    "0L4wbIMSLWsMZJSuenDvJaRpbhkjoll+FHjqjTlMVj2w9xB3iud4ZDiS3JtESTlIkp9B6q"
    "Qs7evx94kWtKdsURB20xT5If6hURbI2ZxQ/jxtyhay9J7kEOoYoQqk3j6QWsWhJi/46sah"
    "Akf+k1GBCtLkWET48eGqlssxfXaS4pg+O0k8puFW+N0SG5RGfkCrM3niZ/ImJ6MtRoFZeG"
    "xlCszODMpfEgckUP7nwpEl8ySe+HLi/M7647Ic9fCeYf07+D00HT9nwlhCmh/CZ2VB2C19"
    "QB2QPs0tlnIifY6S62lJsHYDTrcAOU6YH7plWcgmth0NKvqDhJ8d4iRyVX9KEtaysDgiUD"
    "cli2ASpiqGSFKpmvdgp4HFyw++EYSYZ1n+Ulq19uNr3/uCmonpZIGzGSxltDkqRITmow99"
    "SGci3mAhjnlJTZMtia4xy5gY2dQhCanaena+9VhkBr9/g2yTzCEZ7UFZNGIWeefF7KyjV9"
    "79zcSzoY7/XhmmeT2MNDx2tpJKE+lzOzdKo8d6bR88qDJqsnJiZS2Q9ESxLCLeYW3JfxBf"
    "mtkX9cY5ctRpz8sCur8LTPgGtI0tLJFeGRDixhpPP916dSdPoExjMbRXhQSnjI/ODnYifY"
    "4ruyxYqzYRyVCX05voY7SpTcTC5gJNprjtAIWyTryYHAVoxcHNnFjy6E1TLmzTZpQEllTW"
    "XJKAgG9oIsHXcAzZGZGl5GzTaLozpak3W7TNKgn0sDY0NzSHPZHXVjRuzo0HmKY6azOizl"
    "CwxO6i9vNVYKqqrqqkvuFZcKpad4Y4QHynI9TZwTYloGq7k1V2pwLH9sTaxRvYXs90TxxQ"
    "wqqK2SHaIJQSqLnFRvwXct1l5v7QVy6xW3++iuMWiJXeXUuEnwAsLbHqtGq8oRpvvB6wGZ"
    "kNuZA5NeavBOweuhR8Xc1WVbzWFRe3h6rSC8pvzfRajNL3sColTL6d+XUoZe10Uxqo9lnw"
    "436KLaL/SsA2G6v3sb5Z31TuwxbDtCfynKH66ogtIOYWGrkwOiJvGTWf0QxbT8S6QIPBd2"
    "wuSKA0KvkxN7gk4NZLPcIUuRd0ZLGlO5eNMP83tLk+J6n6kc8jX1H844lIchqTI7G84bsJ"
    "vjpsAZB9ZUMn1wQRnJZsNsYk0Wy/IqlM3PJfG43j44+N98dn56cnHz+enr9f2e7jtzYZ8S"
    "/bn8GOH2JH3D+2fpuy+sfClPn4x/J8AcrrDhOX4u6bw5SuisrcsvMsLpZvONVgsBZRCV4+"
    "2zoGfeKHAgKnDHKYW/zbLzfFD4VntGTWEzLoJ8SPFLbkKxVN+THC/A5kFotUnRoM4sfZ3p"
    "4iLebte+ECxd6ipbxVUavdBxckH2DAPbm00KKLWcwpGo5W9WiLXOCq1rz+2u5eIKzPDNqn"
    "d7AvPd41uw8XgXXep/zqzc0FEm9q9BVJJWzsvH2UyilPhr6cUSApexupGsT7i6zKPcamio"
    "gWJsimaODuLMpGlcV9DbyFLosrFId7Ytvuj5crFv79FFqF7Q5NXR3X5uuF6G8NioYWW4LM"
    "783wDj1MwbDFngz+H7Ysg9hu02PCBQrnExI2Lmjhc/+l+bZxegZawBQZdkyj2MdDoLMzX+"
    "x6HdlMTA8ldtnCQUeCs/BJ9DRiyzfQ5cjtcOQ9FBovW89LroMQBB2H+Bui6usWUBURYXAa"
    "MDyL+TJMVTkr5u4L6ijFIhn66ioW5TKaHkKuKDqXE62mSsNRGk7BRPBX5BHsU/hObBWaoj"
    "9olp6gTTSfPtvGCJte64dwGwh3qsHgzSf+YcRmQ4PClcFANJEYDOaWwSzDeeYXdAvaaNoz"
    "bDkI2yD4zgh1ZK0ocnjiywKzvNems7BVo03Vq+JAEvReynRD1cKkJIuNpQ7XROq0TShymB"
    "3XEJHCVZYt7+7C0h3hZUffmjrHEk1ji/jfJLWz7+au1eKTcco+7V1dPd62W9cXiI1Gi7lB"
    "dOH+a939BtfcWHC49tht/tZsd5qXHU66oPg7NkxfHDi8G5ArCIYIWJdkkdyYDCfVMAuRRb"
    "g2BroUfCtmoqAM2uveI2cfur1rXbXv2159oJViJm4KWWTVXfWu1ewkIS2JnkuDtCyKTiEt"
    "Q9qe4nkm6WRFkOP2Y7EF1TPuP1tKKHvobaFsfD+hjW+t2MW5vrEfd5gwx57cqyulbcrta8"
    "4ZxNUgSWVigFUX7sKiu8GaqYILcg8uOHzubjGFTZWAulPAVL7gQZLgVnjJnAwBLDf4GYKM"
    "S5cABy2nhaGfb00WBLiI4HypH8CffDB4U0crhqKxxWbIawmGRNcced7b3p4kTRZwVmYY7L"
    "bsFCpHNF9A4nMQ45XHIVePg8+juLIpx9Ufv0nFLO+uIzWdcBUx2j3CkLlpOvyoMx8SVXSf"
    "KAm5kirmLyjiIW1bqmmvDSLnUXvIFp0oVedJ5VGIeBRuW93rdvfzBeLHl86xlvkYiuE1UP"
    "a/ZOira/9TppN9bnhCGs0GbJBEYarMUQczR8XW8Q7wrZr5JApt8OVVRr4yGmNEkK3EEOMH"
    "3yYbYSB+NX2sJx/LKFpO3cwkGxkUCimIDCTI0eJX9ah5RDxgMJCUF9rBfCqxqVimETLDhi"
    "nXlBJSLnyCyqUz7bAoU7DZo20vGd8tsuaOxQgrGP66F8RVePF+8VVVWVRVloKw6mc1rMTU"
    "1DTS/gG6eRRtGaTyTgfbeeyo4nuwrUf6ou9lUZPkZr7Xa5TpLSRlREpV4c6GV7CYyCvBCp"
    "QwqQpS+zRVhCtOS2wWsZLUycaLYA3sdAEkQAHxGHNsOc8XbkEW4z98MNggjrC5xM9QIlLk"
    "WHEBbcRVpk/CHjGaYocPRyP+ZUVoRx0ZY4Tp85u6uO878WOBJHt9Yp9CVisEjJkIhCnktv"
    "gEsiXsmu5I+Aro3wsGUSkO4zfrIhkWvgobj4mFjmDUlLMPBYx4aS0syZmwdeTFp9TRH4Fr"
    "4plaoNiCil/J1UiTOetQZRxudJepeKAt44E02NXiyKUIClpRqsigJI0+FhkkcHPYdni7dA"
    "rt1Gi7x+0W/aPjhKrlbSVisjxBsJYN4dq3ZvtBhGJ59H3au7lp3YlILBCkILH7stf7FS5A"
    "0DJ8vm/xDZd/toUhrk87rZuHC2SSsdOnrd9v24La68xREGvjFFNKMrmOAiRbcbFob0gI4e"
    "NGCoSPG4kIw60YwvJgqY0IJ8RJVQDhvXgzTEwnC88elxblIE2O25Frcs2jKE2qmjQbStJE"
    "QbbZwhply6pfUVRvHe+l6M+IzaAWluSAfSA/EgSXIE0VYN4kHbZ+fwg5dHwwj742f38Tkh"
    "s7ve5nf3gA/KtO7zIWdTmR4P2P+143KeRyIsNaN0YO+h/yzWJ72Tv+Nl7QEeCJhgvD5FKJ"
    "/Q6e9/d97SgbWAH4bGZFFPV62GkGE0RZ4VqoVnUxUkruESqV8B4V2j15dQuXcphyBy7lEu"
    "01BfIg+5hsjM2PmXe34bW281q8iuN747gKFUneQqsVKhIqwDzXt+R6mFJxvShcl7zsMce5"
    "8AVlyw0KkigHkrwQkO90zZzOFiFUtmJVZ0klthUC6D0mtokddQf4fvbnqSi0wZMnVf+xYN"
    "rZ69du9ZLYJGs3cgCFYOZfA3UfO51DdUH4xqBP/ReCLWfIFY2aLNosMqS+Md5MDNam/ujU"
    "iXMuIZpbbERs+xcbmdh2RM4bYmNkGmOCjgYDhw0JdPpy3ZODAQIxUjT4ssknhPl4k1AHWn"
    "8hA2LGdH7bm1qaXpfTU1+RhHfY7JoCZYt9SOVS/bDBp/rBd6omB36JUlZbaWxhygpqbOXV"
    "0OKKOexMW/A4QJYPg/N826rE3zkzTVngujFJLsTrk1TGKfHXRuP4+GPj/fHZ+enJx4+n5+"
    "9Xikz81iaN5rL9GZSaEDfjOuQY81NQ1xKgT8Q9SlYZ+HemnINIohHLYpJeY8m+5jCV8jan"
    "8zZnSPTbp1TeJJYxmtYkwrh3Z6MMjtdjXhK8k8FXdSOKlZIA+YxStTtZFQiQFDn/u0jRaf"
    "BSZUDYG15BdPcUM0UdIjN7JofwBEjyj+I5zGG2s3idgx5mf/4/BDJFWg=="
)
