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
        ALTER TABLE "restaurants" ADD "waitlist_hold_minutes" INT NOT NULL DEFAULT 10;
        ALTER TABLE "restaurants" ADD "seating_window_minutes" INT NOT NULL DEFAULT 60;
        ALTER TABLE "restaurants" ADD "correction_window_minutes" INT NOT NULL DEFAULT 180;
        ALTER TABLE "restaurants" ADD "no_show_grace_minutes" INT NOT NULL DEFAULT 15;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "restaurants" DROP COLUMN "waitlist_hold_minutes";
        ALTER TABLE "restaurants" DROP COLUMN "seating_window_minutes";
        ALTER TABLE "restaurants" DROP COLUMN "correction_window_minutes";
        ALTER TABLE "restaurants" DROP COLUMN "no_show_grace_minutes";
        DROP TABLE IF EXISTS "waitlist";"""


MODELS_STATE = (
    "eJztXX1z2jq6/yoa/tl0hva25KXddGdnSEJ62EMhNyGnZ+5hxwgswBMjsbYpze6e7371yD"
    "b4RSY2AWO7mulMg6xHtn+Spef9+U9tznRi2u+aRnPsGN8N57l2if5To3hO+B+Sq3VUw4vF"
    "5ho0OHhkiu7Y0LDb0SDiCh7ZjsWb+MUJNm3Cm3Rijy1j4RiMAkmPEmSRMbN0oiNnadE6ch"
    "gz0RibZh2IzBEeP9URsSxmIf6PMseYGGMMAyDsOGS+cN7BvXQ25jcz6HS/wy6p8a8l0Rw2"
    "Jc6MWHzwP/7Jmw2qkx/8JfnPP2oWsR28tDB1NEMHorFFsEN0DTu1f0LvxZM2MYiph8B1u4"
    "p2zXleiLY2dW5FR3ihkTZm5nJON50Xz86M0XVvgzrQOiWUWHA/3uZYS0CZLk3TmxUfePdF"
    "Nl3cNwjQ6GSClybMFVC7D7Bpq2lat9fXHlp9TavF5tGnCMyB1zRmFNYAf1RbvP0UHuFt48"
    "PZx7NPpxdnn3gX8Zjrlo9/urfeAOMSCni6/dqf4jp2sNtDTMEGVAFNDNbrGbbkuPr9I8jy"
    "R44i6+O4DVq/YYPtZtnnAe4c/9BMQqfOjP/88P79Fih/a95f/9K8P+G93sAtGf9O3a+461"
    "1quNcA78COQGwbTyUQ98mPhKUbINkJZW95FgXkLZj2W7/3YeS5bf/LDEJ58rX5u0B5/uxd"
    "6fS6X/zuAeivO72rCOJ8c1nwJ8gEeZBGYZ4dc377iaETOpagfmsynAB7mCwC/AToKgX9Te"
    "/xqtNCd/et6/ZDu9cNge1ehCbeYDgCgvtWsxPbTxwMm3kc53889LpJG8qGJgKybowd9F9k"
    "Gna1oAYwtq/y6IIGbJjtTC0xihggtso3XEoM/Rt+xTHmJGGhhyijc+CRvvP/KONJyl9Q71"
    "Hz2Vsl2zag9tfWQ7/59S40PzfNfguuNMIfhdd6chGZs/Ug6Fu7/wuCn+j/et1WdBrX/fr/"
    "V4NnwkuHaZStNKwHODm/1Uctep6EmdWUHGiM7mVmtAwTvQd+FDj8yZOUHd2AJjlImEWMKf"
    "2VPAvA2/y5sPzo8MSw+9BgJQP6T389+a2b5Wrh1Vo8ii8zjgN/e+KeINfNh+vmTasmMAcR"
    "boUtXQuBD1dYg0Va1n3jl+aNebQFU86w6t67wJP7gvDC6LMnQmsyIdm/Vt8qIi8MLkvybi"
    "nl4yYaEWwRCwkiNOGiKseOTPnMM8v+jBjfo5Dh2Ojhl+bbxvkFmmF7hgwb2fw60eOS8T4G"
    "fFkmVkJvnkKv+D8Ga7LQ6/dXQm86oVd8Khp8CJlUCyGq/WB93GUcQvriLAXQF2eJOMOlMM"
    "wLi0yMH1kg3lBUcSk30qzkRvJCbkQBtpiZsE+06HIe40LC7J9HW2Sga82br+3uJcL63KAD"
    "eg+s8uN9s9u/RBu2YkB56+3tJT/Q8GQSPR/TTEwjzRbTSN5hGrENRkliydBXVxIzse1oS3"
    "uneY/S7mHmy6MNKdJE+5i8IHN/58zALvMcplSzXOxZPqZmpWATux+ZZwMu3+usbLAGKJSq"
    "6mVVFcC1ByXVozdMycBNq54KLCq5Ykq+IeSt/SvYZlAJ5d81o9+JZWPv5WMKwND1+jYl4D"
    "jQM4OfzHiGHcQo/yf+ppSYl0JVN11y3OrIxHS65M9eB9HGWdp1NDNAa/eMTlZA6swI6nS+"
    "IpsQ+w3CVOeEhk70txOTrQQNkXvS5HHjARfYhkOXfjgEheNwyG+ls8mE/1zNDJMgjBYcNn"
    "DQofaK/yUGFs/wedObs0ou/WpGKO/B789HtZxk3eUfkQ/Ve0X4k/xwiEWxqQEEsCb/+bLz"
    "j/sO8Jdg0rHvOqU8gXJVigZmMa06KUBSZDXHjvqk0zT6pNNkfdJpTJ8U+zoyYC2jrSDojf"
    "PzNMqi8/NkbRFc+zOiOHD32yx4B2nyw7nm2sPy0PunUvtv0fpHQRbHUhzhZLeUNcGrfFJ2"
    "g/lvkyUdC9/V0dIwHYPa7+C2fz8U+Hm7qnj8RJbpCJAUY0LgfpWZkA2Ts4sxYUOd41YkGD"
    "GScQJqzet++7fWJXKpB/SXZvemB+YDj93cxYDw4SLNZhVVZQU2q4voZrXhfbMqGMOUSsFY"
    "ZAVjWJ7IONEx4goai6o02commLybVtcmKLQZ2fTcQRJlOYhbDpTDq3J4Lb/OO7ZJ7AHfL/"
    "445dog0iIb3BhDoPIHQN3HTmebJSEW8iYRdq48yttf74m51vvLsQ5aB75uIuIqsqj/zMvw"
    "4kP3gv0lgHA6M4wWnOV05hiPArEJwig41l9sjgmmLgE68YwkI+ZAoLHwOntTR0+EX5v4Dc"
    "hhCJgaYRxxrRtyU0weN00T8hzCzv3EfOtIahPHlTH9Wawcf200Tk8/Nt6fXnw6P/v48fzT"
    "+/W5G7+07QC+an+BMzjEnr5sC6m84+eXR854X7q2wAG96vG/+dJ/vavnpxSKmk+JeppPMU"
    "dy8kNybifH8fr9i4z9XoTzgwTxKgH6Z9CT8IszltE1LESjZOa4zCw53lNCK6FUcvPLcvM4"
    "4jz0Ssku6otUMrDTSniSxfay9Ox+/HsAOaWrY8G2irTYhvbIzOLzIeVBV20hkQDX+oxkmU"
    "9wiKljbze6mb94zm7oxCaQUgrGQ8OhO9xw+AYc0BZ8jRDX98wNlkUGRa13Hy7OZGG4ex17"
    "pyxVYkzllqZidavkG+Uu6gwArwmqkCgpDPB5Gqeo82SnqPOYUxSZYyOTS+WaoHroKte+Wi"
    "4479+1jzJHps5P1sOsCaqwivPWwzh4KgE72XHP76+89rZPhcr4pXxKUvmUwP/ahJk6yeSh"
    "HyHL8WTJ51w5HPup6cbUcBK8Y7dwoQG6yqG9f15U+fUov54C689eHcsqVw7v0Q2ltKxr3P"
    "2kHlJbEeqsU9DvDpXQJrbdwZ4rtFBDYLGlM2KSnFtZgOqJMdI7NZVxUfGvmVjf9/EF3m9G"
    "quqiWmHD8eW03YH65o3Soo5Vqe/v4LaR9aaVZCMJ7mov2Eq08Hb6stXk24wh7Bk0DDuWNg"
    "BC9g1d/Oe1oScuuIhY/jkaPaMTjCDJBu9Uh4B/4Iv5S85HxILfNt9l+I3exC0qOd53xxwC"
    "kvQByvaiUgIcUYV9wJQAO2YDUIkAsmgblD4vGf3q6vOOESNWuOlVQWIFR1cpk36uILGyQp"
    "sYJXbkdHNtryoDf+0H4jjuq8bEOUmv+jaZztj012yXIKVc9xD0TZMNMxx+5mISZywc9B2b"
    "HFVkUJtLj7z7pgvCFvE92AgdW88LR1al4tA3SyHBic9AyWuqmGMhxIeD1LUIbgBpvTOCNP"
    "l7aBzHLeYgvhiGrW0yEkW0pIyZBNOEzSNIF5mBESc8FPT+xpIv9Fe9XicE/VU76nL0+PWq"
    "xZe+mIdNrUFJTIsSln9CYXm50Hec9TClmvWizLqPUWDaZeY6Jc4rcf5IPES585yHzfkSmT"
    "Nm73/JhLhxMsiWWcNhwobn2vTCBj10Mhx6fw6HdSR+AJjD4Zs6wpA83CIL0yAgBZ4A+yWx"
    "GB72VmlCsjZ5MCn54fCTxiHzBfxf410lEVsBa1QgbbI3igrkylU4feKvlUU49ftXUDjdvx"
    "lRJ/pyoT0RSZbLZIRDRJWrt3gYA6KyiB96Ke+QG1+lxFdxc0WMm/P4nCzqwgCJiufauw5x"
    "gZ9NhiV7S/KEBEiKMSGVqlNQwrT4C0J1z2yYYQZqd63uTbv75RJ59AN63Wm2v7ZuLtHYxM"
    "ac6AP64Pex/T68pS9+OgN60+q0f2vdAwWXG43vxAKa22a7A00TbJjw+6rTu/4VGkYmGz+J"
    "UX9t391Bi/1kLBZucNrxM/B7sptk7pOzUAVI8tMzvT/U4bNnj5yoRBzDdbv2VkJeQRVueV"
    "W2cU29t21oS+rIcky8YKKJEqtKFmWY61EmAT9MVYVcDOFT6eIsxal0cZZ4KsGlqFhkOxqx"
    "LFm+s+R0F2GqKuCcd84L4HB2OLQCZGr/KvL+tWZYd5jkKK2a6SLPtPIaST68yuk/oLxGfs"
    "ZZT+M1ooovHSKuxo92z+yJEyFU8KqwJeXnVAigKxS2VLANYn9RSwm78H6WboYMJiUFOH7+"
    "FMlH785iY2LbRN/iphfrU9/mqbfwe2eshNWkyKAjtqT62pdOpNnADlphG+HxmEDUFWJ8SX"
    "0W6TfclYCeyDOa4yfC+yAuDLtC8TP/QdlbtpBkTD/gjbIl9PBur/J5HNsFT3kvHdx7KbDW"
    "M6Acpqog0Cqbh1I6hPrtrmpSIpwS4YrNBxc3VCUoiUg44Iigksz8RrM7pqkNNGLsiQMcKd"
    "oTHGk4lASdpCUc0AEdDmHLHg7/ZziEfdtLaACsbah4kMnG2ORMsGm+HYOTlJ8RATq6AS3Y"
    "fuK3mjDrMwzKSS3H5oeFGJlQ3f17PTh/e77LOARSKvBPwLGRTizONPMRLDZ3E+atDGcGfw"
    "1o6FHgMdG/GeWIrWbGWHRBjPPbJl4ga2kCE07dLHzkx9hcQk49tFmDkIHvHTyiQMUtdwR9"
    "5/yii9RnUfZ2PjIofxwfyRm2RcAOR4BDIdwLF8RyCXYvjwTYu3E4foCNNCZnjaYKwMmX+x"
    "fzI2WUEuyuXv9t7FF5N3IZhsDeRItxGLLyUx3YQfqJ7KVPlIRcSZnKF5jIEKco5RK3VPrV"
    "l1aCui3xuw+SKFtH3NaxKd2XxTaXs3dtifAsoa+6J+fWsiFcu75v8Z0QPNNd+gG97nVv2/"
    "eutzqjE8Py/NXdbva619e7TsulZPMFML3Q2uxet4SP+hiQEV7q3Z728EvvG586ptkzthpQ"
    "2Bnav0EvbI1nwD1FWcFUeoY0MTyN5BieRiyGh7/InFDZd5TsDxikUd6AqgJWmQN02NIaZ4"
    "oS3FBUYennkFXM21Bd09mHWRzrremtJNQ5Jrlat5Q3y1UQv8ar0G8o9LOi75/1GmhKsuwy"
    "McLqbTYH4GWUweQnNJhsFG4ZJz1EWME5L8kcp3K797TSWac4QKYmuNATrDzsq7Z3F9XDvn"
    "DTq3zAS4SuMCJmAzZIohT5Ekj5tmybLONyjVApYJWzy88Yr1BWaLMFLLieOa9Hte+PU66N"
    "IS2owZMmBCp/ANR97HRq0o13H8AGhqootuHzJgHeZL83VWM5a9ngmQG1eiQZYXYsr3w9wz"
    "QVWGXZU8Oq5rWz2/4KUqfdLksJmF+VWmOTCbFeCVrW4tRl+R5z8tb1Ps3tPrub7zeV5642"
    "Fv1TOvBC8ncCk4fYRASGrcf5i428nWjtMFJH7ti6nwt+KrK9G5D8/T/i7fmbDGpguxnw2w"
    "9qDhtw3hwyxNci85HbjQfUddFZj8CstcPKZ07O0WGWO9YAVOOTyaAGfQYuq8Z/nHTBqXbC"
    "27D7PPwZwTmGIMOxkWsXB0flb5bhOIRCEW1w1vW9cgmdGpxeeAoTPJ4FXxWR7xyDLL65kW"
    "DMgAFHud2qomy5gRuyaJ6nsWieJ1s0z+MWzc0WltZZKEDyKn+hYp5QuTkGie0wk8XeJ1CW"
    "+pct9crt6vBuV8oZomIGtZTRo0fNr1S4qVbGtYKjqwwWxzVYHDMXUIlhLnAyoJgCb7taZa"
    "3kS6dVEY0ZlCpuQPOMPzkoBEIKDjd+OBSAjETCdt7mlXdwE7gPh1K1yX6GHtAT0F8QqqOF"
    "ubTj8dSjJSgI37xD32aGiM126y1D8b879/R++N8O77eOYB7QQAjzhFkjQ4c452fEQKOBXP"
    "JgdDKbiLvafI68lxJ5jLxAaXtrTqLg5+ZOWDQJ0R8hu1AgPlnFL+fPSiQrUpQf60/g5hja"
    "e7JOdIxYTXahJ9vd6CWGpW0hNxuiHCNt/H20tIE2Su5Vcm950T2GU2kVMd2uS1Bi7oHE3G"
    "N66pUV20RXvSQljdKEVSpPnT8Dct1MYH62amW8fqmT1G1IRN410Hv47hluNrZYEjr/DsOh"
    "qx1ZgWICVC3YFDnWKO9vS/PaHfReL3uJKOVFnsoL8X8M1mRzrt+/gl4gB8kFzKVO/oFkyt"
    "ITIKmCyTzvJD0LjlimJb0mqALah3ZsInMs038lo7smqB66B9kwVmRkG7KEmMkQB0gUyOky"
    "tC8N26BEy+oDGaWrHtwHcWlaWMaYaJbvBZ56Yw6TVQ/sA/id4gUeG44k9iaRUw6S5KeQOi"
    "tL+Xr8faoF9Sk7JITdNkR+iH9olAVytiCU30+bsaUsvCfZhTpGqBypd3ekVn6oyQu+un6o"
    "MCP/zihABWlyTCL82L+u5XJMX5ylOKYvzhKPabgU/rbEBqWRH1DqTB74mbzJyWiLkWAWbl"
    "uZBLNzg/KPxAEOlP+5dGTBPIknvpw4v7P+tCxHPXxnWP8Odg9Nx8+ZMJaQ5ofwRVkQdlMf"
    "UAe4T3OHpZxInyPnel4SrF2H0x1AjhPmh25ZFrKJbUeDjP7A4WeHOIlc5Z+SuLUsLY4I5E"
    "3JwpiEqYrBklQq5z3oaWDx8oNvDC7mWZa/lFat/fja9x5QMzGdLnE2haWMNkeBiNB85KEP"
    "6VTEWzTEMSupabIV0TVmGVMjmzgkIVVbz963HovM4f238DbJMySjPeoUjZlF3nk+OxvvlX"
    "d/M/F8pOO/V2bSvBpGGp44O3GlifS5nRulkWO9sg8eVBklWTmx0hZIaqJYFhHfsLbiL8SX"
    "ZvZFvXWMHGXaT2UB3d8FpnwD2kUXlkivFAhxZY0nn+68upMHUKqxGNrrRIIzxntnBzuRPs"
    "eVXRasVZmIZKjLaU30MdpWJmJpc4Ymk992gEJpJ14MjgK04uBmDix59IYpF7ZpI0oCSypr"
    "LEmAwTc0EeBrOIbsjMiScrZpNN2R0uSbLdpmlQR6WBpaGJrDnshrMxo3F0YfhqnO2oyIMx"
    "Q0sfvI/XwdGKqqqyqpbngWnKpWnSEOEN/pCHX2sE0JqNruYJXdqcCwPbX28QW2NyM9EAeE"
    "sKpidowyCKUEamGxMX9DLrvM3Rd95RK788erOG4BX+n9lUT4CcDSErNOq8IbqvDG6wGbk/"
    "mIM5kzY/FKwB6gSsHX9WhVxWuTcXF3qCq9oPzSTK/FKH0Nq1LC5OuZX4dS1ko3pYHqkAk/"
    "HmbYIvqvBHSzsXwfm4v1bek+bNFNeyLPGbKvjtkSfG6hkAujY/KWUfMZzbH1RKxLNBx+x+"
    "aSBFKjkh8Lg3MCbr7UE0yR26Aji63csWyE+b+RzeU5SdaPfG75iuQfT0QS05jsieV134/z"
    "1XETgBwqGjo5J4iYaclmY0wT1fZrksr4Lf+10Tg9/dh4f3rx6fzs48fzT+/Xuvv4pW1K/K"
    "v2F9Djh6Yjbh/bfE1Z7WNhynzsY3l+AOU1h4mmuPnmOKmrojy37DyLs+VbTjXorEVEgpfP"
    "to5Bn/ihgMAogxzmJv/2003xQ+EZrZj1hAz6GfEjha34SkUzfowwvwKZxSJZp4bD+HF2sL"
    "tIk3n7VrhAsrdoKm+V1Gr/zgXJBxjMnpxbaNHlPGYUDXurerRFTnBVa958bXcvEdbnBh3Q"
    "e9iXHu+b3f5lYJ0PKG+9vb1E4kuNfiKpmI29l49SMeXJ0JfTCyRlbSOVg/hwnlW5+9hUEd"
    "HCONkUDdy9edmotLivgbfQaXGF4PBAbNt9eblg4V9PIVXYbtfU2XFtvl6I/tagaGSxFfD8"
    "3gjvUH8Gii32ZPD/sGUZxHaLHhPOUDifkdBxQQmfh1+abxvnFyAFzJBhxySKQ9wEKjvzxa"
    "7Xkc3E8JBily0ddCJmFn6JmkZs9QaqHLkVjrybQuFl63nFZRCCoOIQ/0JUft0CiiLCDU6D"
    "Cc+ivgxTVU6Luf+EOkqwSIa+uoJFuZSmx+Arij7LiVpTJeEoCadgLPgr4ggOyXwnlgpNUR"
    "80S03QJlrMnm1jjE2v9EO4DIQ71HD45jP/MWbzkUGhZTgURSSGw4VlMMtwnnmDbkEZTXuO"
    "LQdhGxjfOaGOrBRFDnd8mWGW19p0lrYqtKlqVRyJgz5Imm7IWpgUZLE11eGGSJ22CUkOs+"
    "MaIlK4yqLl3V1YuiO8bOjbUOeYomliEf9JUhv7bu9bLT4YpxzQ3vX14127dXOJ2Hi8XBhE"
    "F+a/1v1v0Ob6gkPbY7f5W7PdaV51OOmS4u/YMH124PhmQC4gGMJhXRJFcmsynJTDLEQWmb"
    "UJ0KWYt2IGCsqgvek98ulDd/et6/ZD28sPtBbMxEXBi6yrq963mp0kpCXec2mQlnnRKaRl"
    "SNszvMjEnawJctx+LLakesb9Z0cO5QC1LZSO7yfU8W0Eu/isb63HHSbMsSb3uqW0Rbl9yT"
    "kDuxokqYwPsKrCXVh0t2gzlXNB7s4Fx4/dLSazqQJQ9wqYihc8ShDcGi+ZkSGA5RY7Q3Di"
    "0gXAQclpoejnW5MFDi7COV9qB/AHHw7f1NF6QtHEYnPklQRDomqOPO7tYHeSBgs4azUMdk"
    "t2CpEjGi8gsTmI/srikKvFwZ+juLApx9Xvv03ELO+uI1WdcBExWj3CkJlpOvyoM/uJIrpP"
    "lIRcSQXzFwTxkLQtlbQ3CpFPUX3IDpUoVeVJZVGIWBTuWt2bdvfLJeLHl86xltkYimE1UP"
    "q/ZOirq/9TqpNDbniCG80GbJBEYarUUUdTR8XW8R7wrZr6JApt8ONVSr4yKmOEk61EEeM7"
    "3yYrYcB/Nb2vJ+/LKFrN3MgkGxkUEimICCSI0eKtelQ9Im4wHErSC+1hPBXYVCzVCJljw5"
    "RLSgkhFz5B5cKZ9piUKVjs0bZXjO8WWWPHYoQVdH89COLKvfiw+KqsLCorS0Gm6mdVrMTE"
    "1DTc/hGqeRRtGaSyTgfLeewp43uwrEf6pO9lEZPkar7XS5TpNSRlREpl4c6GVzCZyCvBCq"
    "QwqQpSh1RVhDNOS3QWsZTUycqLYA7sdA4kQAH+GAtsOc+XbkIW49+8M+ggTrC5ws+QIlLE"
    "WHEGbcxFps9CHzGeYYd3R2P+sMK1o46MCcL0+U1dXPeN+DFHkoPecUAhqhUcxkwEzBRyS3"
    "wC2Qp2TbcnPAL615KBV4rD+MW6CIaFR2GTCbHQCfSa8elDASVeWg1LciRsHXn+KXX0R6BN"
    "3FMLJFtQ/iu5KmkyRx2qiMOt5jLlD7SjP5AGu1ocuRROQWtK5RmUJNHHPIMEbg7bDW+XTq"
    "GdGm33uN2hfnScUJW8rYRPlscI1rIhXPvWbPeFK5ZHP6C929vWvfDEAkYKAruver1foQGc"
    "luH3Q4tvuPy3LRRxA9pp3fYvkUkmzoC2fr9rC2qvMkdBtI0zTCnJZDoKkOw0i0X7QkIInz"
    "ZSIHzaSEQYLsUQljtLbUU4wU+qAggfxJphYjpdevq4tCgHaXLcjlyVax5JaVLlpNmSkiYK"
    "ss2W1jhbVP2aonrr+CBJf8ZsDrmwJAdsn/xIYFyCNFWAeRt32Pq9HzLo+GCefG3+/ibEN3"
    "Z63S9+9wD4153eVczrcirB+x8PvW6Sy+VUhrVujB30X+SrxQ6yd/xtsqRjwBONlobJuRL7"
    "Hdzv74faUbZMBeCzfSqiqNfDRjMYIDoVroZqnRcjJeceoVIB71Gm3eNXdzAphyn3YFIu0V"
    "5TIAuyj8lW3/yYeneXudb2notXzfjBZly5iiRvodVyFQklYF7oO856mFLNelFmXfKxxwzn"
    "whaULTYoSKIMSPJEQL7RNXM4W4RQ6YpVniUV2FYIoA8Y2CZ21D3g+8Ufp6LQBk+eVPXHgm"
    "Fnr1+71Qtik6zdyAEUgpk/Buo+djrHqoLQJJYxntUkTmbelfo27zK86fOSb1kysCpCrVjO"
    "T+A5Lf3Ak60HAZIiR5oUyQ4GH1UGhL3uFUT3QNYZ6hAZg5VsLAiQ5G8vOI4abW+WgQzxMf"
    "s/zP78f3iokZ4="
)
