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
    "eJztXX1z2jq6/yoa/jnJDO1taZL2pjs7QxLacjchvQlpd7acsQUWoImRWNuUsOf2u19Jtv"
    "GbDDbBjnE105kSWY9k/yQ/ft71V2NGDWTar9u4PXLwT+ysGufgrwaBM8R+SK42QQPO58E1"
    "3uDAoSm6Q6xBtyNG4goc2o7FmtjFMTRtxJoMZI8sPHcwJZzkliBgoRG1DGQAZ2GRJnAoNc"
    "EImmaTE5lDOHpsAmRZ1ALsH6EOHuMR5AMA6DhoNnde87kMOmKTYTLZ77ALgv+9QJpDJ8iZ"
    "IosN/uNP1oyJgZ7YQ7I/fzQsZDtwYUHiaNjgRCMLQQcZGnQaf/Le80dtjJFpRMB1u4p2zV"
    "nNRVuXOJ9ER/5AQ21EzcWMBJ3nK2dKybo3Jg5vnSCCLD4fa3OsBUeZLEzTWxUfePdBgi7u"
    "E4RoDDSGC5OvFad2byBoa2ha77av3Xf6mtZIrKNPEVoDr2lECd8D7FZt8fQTfguvWm9P3p"
    "98eHd28oF1Ebe5bnn/y506AMYlFPD0+o1f4jp0oNtDLEEAqoAmAevlFFpyXP3+MWTZLceR"
    "9XHcBK3fEGAbbPsywJ3BJ81EZOJM2Z9v37zZAOW39t3ll/bdEet1zKek7D113+Ked6nlXu"
    "N4hzgCsm04kUDcR08pWzdEshPK3vasCsgbMO13/tnnI89s+99mGMqjm/Y/BcqzlXfl+rb3"
    "2e8egv7y+vYihjhjLnN2B7kgD9MozPNjzqYfYwORkQT1TyaFKbBHyWLAjzldraC/un24uO"
    "6Ar3edy+5997YXAdu9yJtYA3YEBHed9nWCnziQM/Mkzv9zf9tLYygBTQxkA48c8H/AxHa9"
    "oOZgbN7l8Q3NsaG2M7HEKGKAxC4PpJQE+lfsioNnKGWjRyjja+CRvvZ/HOKXlD2gcUvMlb"
    "dLNjGg7k3nvt+++RpZn6t2v8OvtKIvhdd6dBZbs/Ug4Hu3/wXwP8G/bnud+DKu+/X/1eD3"
    "BBcO1QhdatAISXJ+q49a/HsSFVYzSqAJuu3C6CEs9B7kUS7hjx+l4mgAmuRDQi2EJ+QfaC"
    "UA77L7gvJPh6eG3UUGOzCgf/n7yW8NtqsFl2v1KLnNGA7s6ZH7Bbls31+2rzoNgTlX4ZbQ"
    "MrQI+PwKbdFYy7pv8tKsNYu3QMIEVsN7Fn7nviI8x336iEhDpiT715obVeQ5Zrok65ZRP2"
    "6DIYIWsoAgAmOmqjLs0IStPLXsj4AyHgWwY4P7L+1XrdMzMIX2FGAb2Ow6MpKa8T4G3K4T"
    "K6W3TKVX/J+ANV3p9fsrpTeb0iteFY2/CLlMCxGq/WD9sts4gvTZSQagz05SceaXojDPLT"
    "TGT3kgDijquJVbWXZyK30jt+IAW9RM4RMdspglpJCo+OfRVhnoRvvqpts7B9CYYTIgd1xU"
    "frhr9/rnIBArBoS1fvp0zj5ocDyOfx+zLEwrC4tppXOYVoLBKE0sHfr6amImtB1tYe+07n"
    "HaPaz84VhDqrTQPiZbdO6fTBjYZZ2jlGqVq73KL2lZqdjC7kfnCcBlvM7KB2uIQpmqtpuq"
    "OFx7MFI9eMMcGLhZzVOhTSU3TMkZQtnWv4oxg1oY/y4p+YksG3oPnzAARq43NxkBR6GeOe"
    "JkRlPoAErYP/GbEGSeC1PdZMFwawITksmC3XuTqzbOwm6CKeZWuxU4WnJSZ4rA9fUNsBGy"
    "jwEkBiPEBjJejU26FDRIHklTxsQDprDpukuv69zgqOtsKoOOx+zP5RSbCEAwZ7DxAB1iL9"
    "kvMbC4h49BbyYqufTLKSKsB5ufjWo56bbLH7EX1XtE/hM9Ocgi0NQ4BHxP/rk9+Md9Bv5L"
    "COnQD51SkUClGkVDq5jVnBQiqbKZY0d70rss9qR36fakdwl7UuLtyIG1jLaGoLdOT7MYi0"
    "5P061F/NqvmOHA5bd58A7TlIdzw/WHlWH3z2T232D1j4MsPktJhNPDUtYEz4pJ2Q3mv40X"
    "ZCRiV4cLbDqY2K/5tH8vCvyyQ1U8eSLPcoRIqrEgfL7aLEgg5OziTAioS2RFQhBDOReg0b"
    "7sd791zoFLPSBf2r2rW+4+8MTNXRwIb8+yMKu4KSvErM7izCqQffMaGKOUysBYZQNjVJ/I"
    "udAJ4ho6i+q02MonmM5N6+sTFNaMfHbuMInyHCQ9ByrgVQW8Hr7NO8Ek9oDvZ3+cw2IQWZ"
    "ENM8YIqOwGQO/h+nqTJyGR8iZRdi48yk//uEPm2u4vxzrsHbgJMuJqsql/leV48aHb4n8J"
    "IZzNDaOFVzmbO8ajAHQMIAiP9YfNMIHEJQBHnpNkSB2eaCyizo6b4BGxa2O/ATgUcKFGOE"
    "dc74bcFVPGpFlSniPYua+Y7x3J7OK4wJPfxcvx363Wu3fvW2/enX04PXn//vTDm/V3N3lp"
    "0wf4ovuZf4Mj4ul2X0jtAz8/PzDB+9z1BQ7IxS37zbb+80M9P2Qw1HxItdN8SASSoyfJdz"
    "s9j9fvX2Xs96KcF5LEqxTo38FOwi5Oac7QsAiN0pmTOrPk854RWgml0pu3682jWPDQMzW7"
    "eCzSgYGdVcOTbLbt2rP78u8B5IyhjhVjFVmxjfDI3Opzkfqga7aQaIBre0a6zickxMy5t4"
    "Ft5g8v2A0c2YiXlOLjAV13h9P1Yx6ANmd7BLmxZ26yLMAEdF6/PTuRpeHudeydqlSJMVVY"
    "msrVrVNslLupcwC8JqhDoaQowKdZgqJO04OiThNBUWgGca6QyjVB/dBVoX2NUnDef2gfoY"
    "7MnJ9uh1kT1GEXKztMZZaixoEM/H9tTE0D5QoLj5GVyM7KYWbFyTyagSfYSQnJ3CD6hOhq"
    "h/b+BSAVTKKCSSpstHl2AqXcIrnH2IeDlZeSMQ/NiK0EEWdd93x3qIQJq+sOtqrRRo0zUW"
    "T93MfOugtGqhNYhVtP1zsszYoa3oJbrKladO9vt6t+n1IAPZMnthOJxRD0GceaWHAGeLY9"
    "wEaTtX2fQsduz+fscWZDZPGmJRq+EqnJNrJtNnbSylroTDtmEkuSiJUFViUGv6Ahq8DE4B"
    "1zglU6cB71TxlY0tGvr4HlJTJFKre8KlWk4ugq7f73ShU5VGhTc0VeuOhU16vNzh77HjmO"
    "+6gJlU3Sq7lJb8NBf812CTLqbvfhCBXZMLr+kWlJTLBwwE9oMlQBJjbTEFn3oAuAFvLjWB"
    "AZWau5I6tVX/RkGTQ48RoofU0d6VYJ9aGQ6vZhBhDFeEOtmxBN+dVVXsY5XkgdFWxrQV2S"
    "mB2UUhNBksI8wnSxFRgywqKg9xlLudBf3N5eR6C/6MYDDx5uLjps64t1CE4ck0S2K2X5N1"
    "SWF3Njx1WPUqpVr8qqS3KDZH4mpc4rdf6FZIjDrnb81aIjZNvI2JBxn+jT3KR0zv3eOXPt"
    "24RpdUO6IMY6+x0bbmHfJbQBHI0Q1+gAZTvqoygJ7G4E8IhWYAYfmVYIAVP+kMnEJWvF/i"
    "D0FZ1LcjIKnCifs9CbXvkKX1r3VL7Cwn2Fob2eA+UoVQ2BVp5CJQZnEIPVib9KDK4o0LUQ"
    "g8MBhhIJOBZ/mC78xkMeM538S+kjAziWFhweSdePpSf8ZiJ0T9zgLFvX/0vXOd/2nCVctI"
    "2kJ5t0BE0mBJvmqxH7/eh7W9bnbwBoP7KpxtT66B3jYTm2OImDjYyI4f5eD86ennEZB3F3"
    "DXsFHBsYyGJCMxvBojPeZQaW2JnyXwMSuRV+m+A/lDDEllM8El0AZfK2CefAWphcCCeGaE"
    "VPI3PBw/VAsAd5oN9rfosCFTehmvedsYsuUh9FYa3ZEBN2Oz6SU2iL0EGGAINC1PWe8zOU"
    "OcHuCdgc+wbr9sMviC1+yw4UcdFUudrlSv+G9AQALijJcfX7bxKPDpeRyzDk4k28xhWWJb"
    "hfcw7STxUvfaI05A5UqNwiREYkRamUuKGWmLGwUqrFpL73YRJV9SjpGwqKg+QJqJM5QX9f"
    "0fjAD4nw9NxGPoQbl3cdxgmvzoFHPyCXt71P3bsb0UbJGFsz3nrvdbPXvW6+XndcSjqbc6"
    "GXt7Z7l51r0ciRMXlb71a7/3L7nS0d1ewpXQ4I5wzdb7wXtEZTLj3FRcFMdob9H2ZNZzNE"
    "ZO9ReoJ9mEbl2OfPsbfpwhrlipIJKOqAdwlhMt5b7AagvZ0msd4YryGhLjFqY91yuGEbYf"
    "xaz0K/pdBXQTPKbrzdbhzYHXIueoSwhmt+IGssCZFJLrJnnMu7xCEytcCVXmAV+lY33p0l"
    "9E1lB6rswMNCV/hS8gEbJlH2TAmkjC3bJs25XWNUCljl838pn7/KZC0ikzXBdfeAat8f57"
    "AYQ1ZQw1+alFr4Msa7D2BDQ9UU2+j35hkn9aWeEr9jSbHLKST1OqYvcg7GOpZlf0XYsrKB"
    "gwGspNgyb6dtjjALtmOmODNtJPrnONEQEcdauUcLhsb5wwbei7V2bzaBO7YBjnTdm8aNpd"
    "L1v8TTsycZNHgw14BNP2g4dMBEKF0/bsZ9lKVNPCCuQ3k9ArXW7lV+wgZDh1ruWIOGODBu"
    "0OB9Bu4Xlf1x1OMhYPz4ROjeD7tH7spFADs2cB1qPKzuu4UdBxEwXInQMj+GDJEJZvQirg"
    "3B0TT8qAD9ZBjkiSRbr7LLNUN2dhUkpsoTlAZuweWWQywsim96aYIQybMqE1RTmpIhW0hh"
    "AsEO8+zrNUH94gn2HyOj4jWKj9dQPuua+T0y5jrFJKPsRvoYobLSKx+IsitXA+gC7cpWNI"
    "Xr+SjXsCC9BOYYs6xozl7fA3qTWWVts8pmVRGNOYwqbvrdlN05NwhEDBxutlskXQ4siINN"
    "1jbkeXZMCBF/67rUbLKfoQfkiNsvEDHA3FzYyey/4WI8Rtbxa/B9ikUmoVt5TNeb4Kv79b"
    "7/32vWb51vNyChhLsxtYbY4Fl5K0C5RQO45OFcOjoWs9psjbyHElU3vLQ+e2MFjfDr5i5Y"
    "vGTGj4j5PpRNp7Ltyhcl0g0pKtzwN4hGi/CevAudIFaLXenF3qmypSpruUuEvtJ7ld57uO"
    "i+ROxfHTHdbEtQam5Bau5LBlQdKrapEVVpRhplCatVVSV/BeS2mdD6bLTKeP0yl1QKSESV"
    "IG738MMz3NpBiZJJ/gy67lpHltwwwU0t0BQVgQjrb0urMBU61/YoEWW8KNN4If5PwLr5nP"
    "OdnblV40klVK5kWid7QXLVlAiR1MFlXnZJCXE4fJ4tvSaoA9pFBzahGZTZvzacjekT1A/d"
    "QhjGEg1tLCvflg5xiESBnK2e8ALbmCAtbwxknK5+cBcS0jS38Ahplh8FnpkxR8nqB3YBca"
    "dwDkfe8ecZJeUwSXkGqZM3lRaYQwLcz4kWtqfsUL5w0xDlIf62dSiQ0zkibD5tShdWrhDq"
    "BKEKpN49kFrFoaZv+PrGofIV+U9OBSpMU2LJy4f+ZaOUz/TZSYbP9NlJ6meaX4q+W4JBae"
    "iJH8wjz2NMZ3Iy2vKPsmz8bbwgIxEENVxg08HEfs2n/XtRS1I2+5thwl4Sh0ug7OfCkSXz"
    "pH7x5cTlfevfHcqnnr9n0PjJ/R6aAVe5MJaQlofw2aEg7GaoE4dLn+YOWzmVvkTJ9fRAsH"
    "YDTncAOUlYHrqHspFNaDsarz/NJfz8EKeRqzJBkrCWhcUQ4eUt8ggmUapqiCR8vtqIJNxO"
    "wzcv+/CNeIh5nu0vpVV7P7n3vRvUTEgmC5jPYCmjLVEhQqQcfehtNhPxBgtxwktqmnSJDI"
    "1aeILzqUMSUsV69s56VDHW9HfjMI1BkkD4RKWlhc2E0lxhNyEK9XHZGtvK0UqCmzsu8MEb"
    "5rCwzRoQGNpSeUMBQx8YrIn8DOxgmVCbp2pYG7fdkVYHyKyyFVibY82hj+i59dXac9znw9"
    "Rnb0YdJJRwQXofleguQ0PVdVelHVKWB6e61UBNAsQ4HSLOHtiUgKrrDlZbTsXtkhNrH29g"
    "NxjpHjncSFRXzOYWHSHbZiK5dxb9M5H76o934w5XV9ziJyHvjlg9k5BS0zpTa+Gp6raquu"
    "3zAZuh2ZDJTlM8fyZg97x26s16tLriFdSB2R2qWm8ov673czHKXgD9YGAqMrcu/vpJEuwk"
    "b2h6lp0ohazFuMP2XLtrTB5tAAE3OwCHutWJ/Hw4Z4pWYEmtR4DJRwAJoEu2sGAKbZHnJk"
    "okWzSWFqfrySy7wmaRVhvy7UyhbNR4rSGVdVdm1h1fPbljafvx0j5tlTPwGu2rm27vHEBj"
    "hsmA3HFD9MNdu9c/D+3zAWGtnz6dA/Gmxl+RLI6oAs6AVkGvNfNzZCy+qoqkFOZRL9+LVE"
    "dEK+NGqhq4e/Mjqbodta3bIRSHe2Tb7sPLFQv/egatwna7Zi7fYbP9goxXmIChRZdc5vdG"
    "eA36UwRGvLwG+w9aFka2eyoLYgKF85EJ/KZ7Gsv9l/ar1ukZ1wKmANsJjaKISfjRM2yzG0"
    "1gUzE8rwFCFw44EivL/xJFV+nymJdhdUuwepPyk2Gs1ZLpIAjwkqjsDVEFQCqoighHr8YX"
    "XK6QpMR6Rqj2o4q8LMwFZ/woxSId+voqFuhpjtlou5xTH6Gs4aofyCpLwuSSy6w0HKXhVE"
    "AEf0akXJHCd+pZBhkOMMhzaEEbzKcrG4+g6dWmi9apc4fS9WN+aOKIzoaY8BZdF1XudH1u"
    "YWphZ8UaDIvX+bdn0HIAtLngO/NPOYzJ3CXMmPFcxcRhAM7CVicBqGJ6LyRBF1JHiKdVp4"
    "URbszFDojU1zYlCzs/rhEihass99rlwlKOsN3RF1CXmEM2tpB/J5mdfZ/uOh02GKMckNvL"
    "y4ev3c7VOaCj0WKOkSHcf527b7zNDQvjbQ+99rd297p9cc1IFwT+hNj0xYGXdwMyBQGL2L"
    "UnidRpUpiWZBkhi63amNNlWLdqhsLLoL26fWDLB77edS67910v62ytmImLQhZZH/9w12lf"
    "pyEtKVmWBWlZ2TKFtAxpewrzFTtcE5TIfiy6IEZO/rOjhFJA8T1l4/sNbXyBYpdc9Y0HBk"
    "UJSzw0aN1ysKcG+ZpzDnE1TKKKq6hjgtTxuBUAurTggpdP46mmsKlyUVTqwOGnDqzxkjkZ"
    "Qlhu8DOEFy7b+cj8TBxh6BfHuAJ+GvD6aOOYH8AfXNePm2C9oO5Rx17NYiDKeiZdDIXOJE"
    "0WWB8ExtUNARJXOZJnEyd4suivPA6lehz8NUoqm3Jc/f6bVMzD5TpS0wlTEePl7bDMTXPN"
    "PnVmP1VF94nSkDtQxXyLIh7RtqWadmAQ+RC3h+xQKl+VxlcehZhH4Wund9XtfT4H7PNlMK"
    "xlPoZqeA2U/S8d+vra/5TppEiGp05YVuaoF1dem7uZo9TxykUcr6yMfNU2xoggW4khxg++"
    "TTfC8PjV7LGerC8lYDl1M5NsgAkvpCAykHiOFms14uYRMYGuS089fvZ4KrGpWqaRkk8qrR"
    "i4xZ+hOYe2vaSMW+TNHUsQ1jD8tRDEVXhxsfiqqiyqKktFlup3Nawk1NQs0v4L1Kuu2jbI"
    "5J0OF6zeU/HXcOHq7PVfD0VNkpv5nq9RZreQHCJSqiBnPrzCxUSeCVaohEldkCrSVNFGFh"
    "5NGxJjhXeluclcAYM+2+wV6TAoq0G1rAb8ayZ1WaerWSGSKkv/VdK0+EuVA2Gvew3RLSRN"
    "ls3oIJk3J/0UtRBJ+aenvUx4y97OScuhs+z/Y/br/wFu4Tak"
)
