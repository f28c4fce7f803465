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
        ALTER TABLE "guests" ADD "phone_digits" VARCHAR(50) NOT NULL DEFAULT '';
        ALTER TABLE "guests" ADD "name_folded" VARCHAR(255) NOT NULL DEFAULT '';
        UPDATE "guests" SET "name_folded" = LOWER(regexp_replace(btrim("name"), '[[:space:]]+', ' ', 'g')),
            "phone_digits" = regexp_replace(COALESCE("phone", ''), '[^0-9]', '', 'g');"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "guests" DROP COLUMN "phone_digits";
        ALTER TABLE "guests" DROP COLUMN "name_folded";
        DROP TABLE IF EXISTS "reservation_changes";"""


MODELS_STATE = (
    "eJztXX1zm7i6/yoa/3PSmTR36zbZ3nRnZ5zEaX3XcXITpz1z1jtYBjnWBEs+gOvm7O13v5"
    "IA8yYccAwGopnO1AE9An6PeHje9XdrTg1k2kcd3NEd/B07T61T8HeLwDliPyRnD0ELLhbB"
    "OX7AgRNTDIdYg+5AjMQZOLEdix1iJ6fQtBE7ZCBbt/DCwZRwkmuCgIV0ahnIAM7SIofAod"
    "QEOjTNQ05kTqD+eAiQZVELsH+EOniKdcgnANBx0HzhHPFrGVRnF8PkYbfTLgn+9xJpDn1A"
    "zgxZbPI//2KHMTHQD/aQ7M8/WxayHbi0IHE0bHAi3ULQQYYGndZffPTiUZtiZBoRcN2h4r"
    "jmPC3EsR5xLsVA/kATTafmck6CwYsnZ0bJejQmDj/6gAiy+PXYMcdacpTJ0jQ9rvjAuw8S"
    "DHGfIERjoClcmpxXnNq9geBYS9MG10PtrjvUtFaCjz5FiAfeIZ0SvgbYrdri6R/4Lbxtv/"
    "vw64eP708+fGRDxG2uj/z60710AIxLKOAZDFs/xXnoQHeEYEEAqoAmAev5DFpyXP3xMWTZ"
    "LceR9XHcBK1/IMA2WPZlgDuHPzQTkQdnxv5898svG6D82rk9/9K5PWCj3vBLUvaeum/xwD"
    "vVds9xvEMSAdk2fJBAPEQ/UpZuiGQrlL3lWRWQN2A67P5zyGee2/a/zTCUB1edfwqU50/e"
    "mf714LM/PAT9ef/6LIY4Ey4Ldge5IA/TKMzzY84uP8UGIroE9UuTwhTYo2Qx4KecrlHQX1"
    "zfn/W74Oa2e967610PImC7J/khdgA7AoLbbqefkCcO5MI8ifP/3F0P0gRKQBMD2cC6A/4P"
    "mNhuFtQcjM2rPL6gOTbUdh4sMYuYILHKAy0lgf4FO+PgOUpZ6BHKOA880iP/Rx2/pOwBjW"
    "tiPnmrZJMA6l1174adq5sIfy46wy4/046+FN7Rg5MYz9aTgG+94RfA/wT/uh5042xcjxv+"
    "q8XvCS4dqhG60qAR0uT8oz5q8e9JVFnNqIEm6J5XRuvA6B3oo1zDnz5K1dEANMmHhFoIP5"
    "A/0JMAvMfuC8o/HZ4ZdhuZrGZA//TXk380WK4WXK3No+QyYziwp0fuF+S8c3feuei2BObc"
    "hFtBy9Ai4PMztE1jR9Zjk6fm7Xn8CCRMYTW8Z+F37hvCCzykj4i0ZEayf+5wo4m8wMyWZM"
    "My2scdMEHQQhYQRGDKTFWGHXpgnKeW/QlQJqMAdmxw96Xztn18AmbQngFsA5udR0bSMt7F"
    "hM/bxMroLdPoFf8nYE03ev3xyujNZvSKV0XjL0Iu10KEajdY73cZR5A++ZAB6JMPqTjzU1"
    "GYFxaa4h95IA4omriU21lWcjt9IbfjAFvUTJETXbKcJ7SQqPrn0VYZ6Fbn4qo3OAXQmGMy"
    "IrdcVb6/7QyGpyBQK0aEHb28PGUfNDidxr+PWRjTziJi2ukSpp0QMMoSS4e+uZaYCW1HW9"
    "pb8T1OuwPO18cbUiVG+5g8Y3N/Z8rANnyOUiouV5vL+/SsVIyxu7F5AnCZrLPywRqiUK6q"
    "511VHK4dOKnuvWlqBm5W91RoUckdU3KBULb3r2LCoBHOv3NKviPLht7DJxyAkfOHm5yAem"
    "hkjjwZfQYdQAn7J34TgsxT4ap7WDLcDoEJycOS3fshN22cpX0IZph77Z7AwYqTOjME+v0r"
    "YCNkvwGQGIwQG8h4OzXpStAgeSZNGRceMYNtPHbpx2PucByP2aUMOp2yP1czbCIAwYLBxh"
    "N0iL1iv8TE4h4+BaOZquTSr2aIsBHs+mxWy0n3Xf4Ze1G9R+Q/0Q8HWQSaGoeAr8m/nk/+"
    "cZ+B/xJKOvRTp1QmUKlO0RAXs7qTQiRVdnNs6U96n8Wf9D7dn/Q+4U9KvB05sJbRNhD09v"
    "FxFmfR8XG6t4if+xlzHLjyNg/eYZrycG658bAy/P6Z3P4bvP5xkMVnKYlwelrKmuBFOSnb"
    "wfzbdEl0kbs6WWLTwcQ+4pf9vSjwy05V8fSJPOwIkVSDIfx6jWFIoORsE0wIqEsURUIRQz"
    "kZ0OqcD3tfu6fApR6RL53BxTUPH3jq5jYBhHcnWYRV3JUVElYncWEV6L55HYxRSuVgrLKD"
    "MWpP5GR0griBwaImMVvFBNOlaXNjgsKbkc/PHSZRkYNk5EAlvKqE1/r7vBNCYgf4fvbnqZ"
    "eAyIpsWDBGQGU3AAb3/f6mSEKi5E1i7Jx5lJd/3CJz7feXYx2ODlwFFXENWdQ/ywq8+NA9"
    "E38JIZwtDKOFuZwtHONRADoFEITn+ofNMIHEJQAHXpBkQh1eaCyyzt4cgkfEzk39A8ChgC"
    "s1IjjiRjfkoZgyLpql5DmCnfuK+dGRzCGOM/zwWqIc/91uv3//a/uX9ycfjz/8+uvxx1/W"
    "393kqU0f4LPeZ/4Njqinz8dCGp/4+fmeKd6nbixwRM6u2W+29F+e6vkxg6PmY6qf5mMikR"
    "z9kHy30+t4/fFVxn4nxnkhRbzKgH4NfhJ2ckZzpoZFaJTNnLSZJZ/3jNBKKJXd/LzdrMeS"
    "h15o2cVzkWoGdlYLT7LYnree3Zd/ByBnTHWsmKjIim1ERuY2n4u0B123hcQCXPsz0m0+oS"
    "Fmrr0NfDP/8JLdwIGNeEspPh8Yj93pxuM3PAFtwdYIcnPP3GJZgAnoHr07+SArw93p3Ft1"
    "qRJzqrQ0VavbpNwod1HnAHhN0IRGSVGAj7MkRR2nJ0UdJ5Ki0BziXCmVa4LmoatS+1ql4L"
    "z71D5CHZk7P90PsyZowipWfpjKsKLBiQz8f21KTQPlSguPkZUozsoRZsXpPJqBH7CTkpK5"
    "QfUJ0TUO7d0rQCqZRCWTVNhp8+ICSrlHcoe5D7XVl5I5D4cRXwkizrrv+fZQCRdWz53sqU"
    "ELNQIWXToTKmn0lAeoazFH9kyaOi4q9jYj6/su3sDbYKYmLarCvczrNzHN2xx+VZ/xOmtR"
    "GfG8//nbjALouYaxnSjAhmDIJPuDBeeAdyUA2Dhkx77NoGN3Fgv2OPMJsvihFZq8FSXcNn"
    "tb2NxJb3ShV9qy4lpSbK081aqAeo8OvwILqLesnVZl03nMZOWISke/uY6ofVTUVI69qqSm"
    "4ugqL8jrKqmpK7SpNTV7bs7V83rYs8e+Q47jPmrCZJOMOtxkt+FgvGa7BBltt7twJo9smv"
    "H4E7OSmGLhgO/QZKgCTGxmIbLhwRAALeTn+yCiW08LR9bTv+iLZbDgxGug7DW19V0lzIdC"
    "dgEIC4Aoxht6AoVoyu9Cs58kgkL6zWBbC/q3xPyglJoIkhThEaaLcWDCCIuC3hcs5UJ/dn"
    "3dj0B/1osnaNxfnXXZ0hd8CHZmk1QAKGP5FRrLy4WxJdejlIrrVeG6pIZKFmdS5rwy5/ek"
    "Q9S7K3Q0Di2xOROB6ufChEF0PF8fAoeKqJ0bxYuG8MDBeOz9HI8PgfiDgzkevzkEkLdatt"
    "DCxIhbgQdc/XqzufvA7i+VpYAl6BpI0A9H83ZpF5usHwLZLuxBNCrUZNabRZW9lGqcPrLH"
    "ymOc+uMbaJzuPoxoIGO50B6RpCdgOsIRosbtTldMAFFFxIteylt0ElcNxFWVURWrjDw9J4"
    "+7MESielbv3Ie4gE8mhRLZks6QEEk1GNKoru41bCK+QMTwwoZ5+lPddAcXvcHnU+DRj8h5"
    "v9O76l6cAt2EeI6MEbnzx9j+GHZkKP50RuSi2+997d5yCmY34u/I4jSXnV6fH5pCbPK/z/"
    "rX53/wAxOT6o9i1j96Nzf8iP2IFwu3qmr//co9203C+/SePSGS8vxMvxT18dlxRk7cIk7g"
    "utl7KyFvoAu3vi7bpKfeExvakjiyivxnQjRxYtX3vw68nuQy8KNUTahcL3oDerFFArIsWX"
    "eo9OYAUaom4Fx2hwCu4Wzx0QqRKflVZfm1Vli3YHKcVnG6ypxWWSPpH6965g+orJHXyPUs"
    "WSNqq5oi6mr8Mu3cmTgxQgWvKltSeU6VALpBZUsVExC7q1pKkcK7Wbo5Wm/UFODk96dKOX"
    "o3FtWRbSNjQ5peYszhpky9hT86575BHQIwmdAlMda5dNgADm+ZsYI2gLqOeNUVoGxJfWLH"
    "EXBXAnhET2AOHxEbA5gx7BrFT+wPQt/ShaS/dIEXytfQw7u86uex7xQ8lb1UePZSaK3nQD"
    "lK1UCgVTcP5XSIjNve1aRMOGXCVVsPrm6pStgSkWjAMUMlXfmNtyXMspPKhNJHBnBsi5Pw"
    "TOOxpOgkK+GIjMh4zEX2ePxf4zGX215DA67aRrZaMakOTaYEm+ZbnSdJ+R0R+EC3oAXaj+"
    "xSU2p94pMyUsux2cdCzIyI4f5eT86enkkZB/GWCuwVcGxgIIspzWwGi875kDlYYWfGf41I"
    "5Fb4bYL/UMIQW82wLoYAyvRtEy6AtTS5Ek4McRT90M0lb6kHgjXIm/Ed8VsUqLibw/Cxc3"
    "bSReqT2CR0PsGE3Y6P5AzaomCHIcCgEOmFC2S5BNtvJsOxd+tw/AIbaU3OGk1VgFOu9i/4"
    "I1WUUuKu3vhN6lF9BbkMQ67exPfrxLLNevpcggxT1UufKA25miqVzyiREU1RqiVu2BfVWF"
    "op7rbU9z5MomIdyVhHsNFZnthcydm1NcKzhrnqnp3byodw6/y2yyQhz0x36Ufk/Hpw2bt1"
    "s9UpmWLLy1d3h9nrUVc3/a5LSecLrvTyo53BeVfkqOscGZGlPrjW7r5cf2Oso5o9o6sR4Z"
    "Kh95WPgpY+49pTXBXM5GfIUsPTTq/haSdqeNiDzBGRvUfp+YBhGpUNuEU2IF1aeq7StICi"
    "CXiX0MrKe4vdeM27WRLrjT2VJNQldlZaH6lva6Uwfu0Xod9W6OdF3//AaNw8zyNlEoTNEz"
    "YFfECVl/4VeukDL09OpkcIG8jzmvA4U6635wrNy+IQmWJwpRms0rqbJrurmtZdOfaqxOMa"
    "oSsiV/mADZMo77EEUiaWbZPmXK4xKgWsyrB4jUnydYU2X5a8mw7yclSH/jz1EgxZQQ1/aS"
    "KgshsAg/t+vyUVvLsANjRVQ7GNfm9S4E1PtlI70ubdkXaG+QYxkjYkW25Gez6DJBNYdZGp"
    "UVfzOsNqd9v3ZhWXtQGspIxHb6VtznsMlmOm7EdNF+MzJkHyBtqIONYToFNRXLOe5x828F"
    "6sddD9ELhzG34/7QfRMRvzBtp/i6dnTzJq8VDEiF1+1HLoiKmavMt2K8aP0i48Im6aw3oG"
    "aq2D/p8YOUOHWu5cI+7pnU5HLT5m5Goe7I+DAU9MnLJj0L0fdo88wQAB7NjADfPyZM9vFn"
    "YcRMDkSSQ8+pmNiDxgRi+yLRHUZ+FHBeg7wyBPfmOsoC0Uj1Cpi2pjq9LAjQTojrME6I7T"
    "A3THyQBdIMKi+KY3RQ2RvKgpajUVIBmyhXQ/FeIwVwDaJ1CB5+cDzyqLqPgsIhXbb1h8KG"
    "MF3l571FSO1SpWVHF0lf99v/73ffZTqTHMFW6okvBHbXarrH1W2bwq4mAOp4pbFDpjd84d"
    "AhEHh1uDGSniBKLpNTvmtch3m2CPx1K3yW6mHpED7r9AxAALc2kna1Iny+kUWW+OwLcZFv"
    "Wt7p61fAO1G/frffe/fTZuXQU6IqEy0Cm1JtjgtaJPgHKPBnDJwxWedCquajMeeQ8lesF4"
    "xab2xr4u4dfNZVi8kcufkTBHqMZT1YCWr0qkO1JUWuYryNqLyJ68jE4QK2ZXmtlb7YmuNk"
    "Tfpm5E2b3K7q0vuvvIkWwippt9CcrMLcjM3WfiWV2xTc08S3PSKE9Yo3p9+RyQ+2ZC/Nno"
    "lfHGZW70FZCI3lXc7+GnZ7gdrRKNvPwrjMeud2TFHRPc1QJN0aeKsPG2tDdYodd6PktEOS"
    "/KdF6I/xOwpodz/fENzAIppJ8qszrZC5Kr00mIpAkh87IbnSwYYrmW9JqgCWgXndiE5lDm"
    "/0pHd03QPHQLERgrNLGxrKlgOsQhEgVyti7XS2xjgrS8OZBxuubBXUhK08LCOtIsPws8s2"
    "COkjUP7ALyTuEC6tiRlJKkasphkvIcUh/qsgU4/P6ghf0pWzTV3DRFeYi/a9cFcrpAhF1P"
    "m9GllSuFOkGoEqm3T6RWeajpC765eaicI//JaUCFaUpsxHo/PG+V8pne/ZboQkBp6AffLk"
    "pex5gu5GS0L5Jz26H/23RJdJEENVli08HEPuKX/b0olpQt/uaYsJfE4Roo+7l0ZMU8qV98"
    "OXF53/r3dfnU8/cMGt953EMz4FMujCWk5SF8UheE3Up+4nDt09xiKafSl6i5HtcEazfhdA"
    "uQk4TloVuXhWxC29F4V3Su4eeHOI1ctVOSpLUsLYYIbwOSRzGJUlVDJeHXa4xKwv00fPGy"
    "D5/OU8zzLH8prVr7ybXv3aBmQvKwhPkcljLaEg0iRMqxh95lcxFv8BAnoqSmSVfI0KiFH3"
    "A+c0hCqkTPzkWPheb8+TfoNukcktHulUU6tdCRl7MTZK8c/WbC+cSAvzeGad4+MBqcOltp"
    "pan0ypBN2//AwyqnKSsnVignUFa9s9OhrqdPWlKPk2j4trTZW5Er+y9EoXTcZ1PsOVpJcH"
    "OnJ99709QL26x5yaEllTcjOfSVwJooE8MOln2J8zQv7OCOO9NTDYVVtj6PC6w59BG9tM1j"
    "Z4GHfJrmrM1onJYSbs/voiHmeWiqpq6qtB088+DUtJbVSYCYpEPE2YGYElD13MkaK6l4eO"
    "TB2sUb2AtmukMO91U3FbN99IauJVALi+rsCZntMncf9IVL7Mafr+G4hTLudtcn+hWApaX2"
    "LlXdyFU38pcDNkfzCVMyZ3jxQsDueK/rq/VsTcUr6Nu1PVSNXlD+fhUvxSj7xh61ganIWu"
    "j46ycpiJa8oelV0aJ1vRaTDs/XRvcxebQBBNw/AxzqdpPz65edGXoCK2o9Akw+AUgAXTHG"
    "ghm0RV2yaGlv0VgZ83icrIou7CrS7nC+Qy7UPSDeG05VSZdZJc25J08E6JLlPOEfjYY/Pd"
    "oqV0y3OhdXvcEpgMYckxG55R77+9vOYHgaWucjwo5eXp4C8abGX5EsiQNqI2wVENpRs2zV"
    "1Kq4IGvp4bYmIlqZeFvVwN1ZwE31WXoJvJXusyQMhztk2+7Dyw0L/3wGq8J2h2Zut2Sz9Y"
    "KMt5iAiUVXXOf3ZjgCwxkCOm+HxP6DloWR7e6ihZhC4XxiCr/p7p5196Xztn18wq2AGcB2"
    "wqIo4iJ8qzC22I1DYFMxPe/ZRJcOOBCc5X+JJtl09Ya3zXZbZnsX5Tt5WU8rZoMgwFtYsz"
    "dENWyqoCkiIuIaZ7jcIEnJzY9Q7cYU2S/MBVdoKsMiHfrmGhboxwKz2bbgepSygVyvCZcl"
    "+YRJNisLR1k4FVDBX5BSWKTynbr3TIYNZ/JsMtMBi9mTjXVoer1Eo31F3anG4zd8k1udzi"
    "eY8CPjsehKOh4vLEwt7DyxA4bF92Wx59ByALS54jv3d6WN6dwlXDHjPriJzVucpa12blHN"
    "T/ekQRfS9423wUjLt9zYOyMgUl/blK4Z+XGNEClcZb0yXCkslQjPB/oC6hJrfqcW8u8kc7"
    "Dv8rbbZZMxyhG5Pj+/v+l1L04B1fXlAiNDhP+6t1/5MTctjB+7H3S+dnr9zlmfkS4J/A6x"
    "6asD+w8DMgMBi9w1SULppUlhWlF8hCzGtSmny8C3atYMyKC9uL5n7AM3t93z3l3PKzhdG2"
    "bipNBF1tv13HY7/TSkJS0msyAtazOpkJYhbc9gvua0a4ISxY9Fl8TIKX+21FAKaJaqfHyv"
    "0McXGHZJrm/c4C1KWOImb+sjtd3lzbecc6irYRLVDEtt66a2M68A0KUlF+y/jKeayqaqRV"
    "GlA/UvHVjjJQsyhLDcEGcIMy7bfvZ8DzPh6BfbbgO+e/t6K/pYHMCffDx+cwjWDHW3pvd6"
    "zAPRhjkZYij0StJigfXGjdzcECBxkyO5l3xCJovxKuJQasTB51HS2JTj6o/fZGLWV+pIXS"
    "fMRIy3I8WyME2fferMYaqJ7hOlIVdTw/wZQzxibUst7cAh8jHuD9liaxO1lYmKKMQiCjfd"
    "wUVv8PkUsM+XwbCWxRiqETVQ/r906Jvr/1OukyIFXnh77IzAhkkUpsodtTd3VGId7wDfpr"
    "lP4tCGX17l5KujM0Yk2UocMX7ybboThuevZs/1ZGMpAauZW5lkA0x4IwVRgcRrtNhRI+4e"
    "ERcYj6W71L94PlXYVC3XSMk7S1cM3OL3PF5A215RJi3y1o4lCBuY/loI4iq9uFh8VVcW1Z"
    "WlIqx6rY6VhJmaRdvfQ2Pvqi2DTNHpcGfvHTV/DXf4zt7/tS5mktzN93KLMruHpI5IqYac"
    "+fAKNxN5IVihFiZNQapIV0UHWViftSTOCu/M4SZ3BQzGPOevSIdBeQ2q5TXgXzNpyDrdzA"
    "qRVFn7r5KlxV+qHAh7wxuIbiFlsuyKDpJFc9L3VAyRlL+V4n7SW3a2RWIOm2X3H7Of/w/H"
    "gQFL"
)
