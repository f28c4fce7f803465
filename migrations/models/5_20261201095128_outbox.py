from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "guest_outbox" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(32) NOT NULL,
    "dedup_key" VARCHAR(255) NOT NULL UNIQUE,
    "channel" VARCHAR(32) NOT NULL,
    "chat_id" VARCHAR(255) NOT NULL,
    "language" VARCHAR(10) NOT NULL,
    "replies" JSONB NOT NULL,
    "payload" JSONB NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMPTZ NOT NULL,
    "claimed_until" TIMESTAMPTZ,
    "claimed_by" VARCHAR(64),
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ,
    "delivered_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "guest_id" INT REFERENCES "guests" ("id") ON DELETE CASCADE,
    "reservation_id" INT REFERENCES "reservations" ("id") ON DELETE CASCADE,
    "restaurant_id" INT NOT NULL REFERENCES "restaurants" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_guest_outbo_status_18a8de" ON "guest_outbox" ("status", "next_attempt_at");
CREATE INDEX IF NOT EXISTS "idx_guest_outbo_restaur_0ce569" ON "guest_outbox" ("restaurant_id", "channel", "chat_id", "status");
COMMENT ON COLUMN "guest_outbox"."status" IS 'PENDING: pending\nCLAIMED: claimed\nSENDING: sending\nSENT: sent\nDELIVERED: delivered\nFAILED: failed\nBLOCKED: blocked\nSKIPPED: skipped';
COMMENT ON TABLE "guest_outbox" IS 'One message to one guest on one channel (``channel``, ``chat_id``), as ``replies`` (JSON).';
        ALTER TABLE "reservations" ADD "archived_from" VARCHAR(20);
        ALTER TABLE "restaurants" ADD "no_show_after_minutes" INT NOT NULL DEFAULT 30;
        ALTER TABLE "restaurants" ADD "reminder_minutes" JSONB NOT NULL DEFAULT '[120, 60]';
        ALTER TABLE "restaurants" ADD "archive_after_days" INT NOT NULL DEFAULT 30;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "restaurants" DROP COLUMN "no_show_after_minutes";
        ALTER TABLE "restaurants" DROP COLUMN "reminder_minutes";
        ALTER TABLE "restaurants" DROP COLUMN "archive_after_days";
        ALTER TABLE "reservations" DROP COLUMN "archived_from";
        DROP TABLE IF EXISTS "guest_outbox";"""


MODELS_STATE = (
    "eJztXW1v2zqy/iuEv2wLuLmnaZM9SBcLuIlz6nscJzdx2sWeHEi0RMdEZFIryXG9e/vfl6"
    "Qk641yJMeWJZVAgcYUh7KfoUYzw3n5T2dOTWS5Rz3cMzz8jL1V5wz8p0PgHLE/JFe7oANt"
    "O7rGBzw4scR0iDXoT8RIXIET13PYELs4hZaL2JCJXMPBtocp4STXBAEHGdQxkQm8hUO6wK"
    "PUAga0rC4nsibQeOoC5DjUAewfoR6eYgPyBQD0PDS3vSN+L5Ma7GaYPO522QXB/1ogzaOP"
    "yJshhy3+x59sGBMTfWc/kn38o+Mg14MLBxJPwyYnMhwEPWRq0Ov8yWfbT9oUI8tMgOtPFe"
    "Oat7LF2IB4l2Ii/0ETzaDWYk6iyfbKm1Gyno2Jx0cfEUEOvx8b85wFR5ksLCvgSgi8/0Oi"
    "Kf4viNGYaAoXFucVp/a/QDTW0bTR9Vi76481rZPhY0gR40EwZFDC9wD7qq749Y/8K7w7fv"
    "/xrx9//XD68Vc2RXzN9chff/i3joDxCQU8o3Hnh7gOPejPECyIQBXQZGA9n0FHjms4P4Us"
    "+8ppZEMcN0EbDkTYRtu+CnDn8LtmIfLozdjH97/8sgHKr73b8y+92zds1lt+S8qeU/8pHg"
    "WXjv1rHO+YRECuCx8lEI/R95ytGyPZCuVge9YF5A2Yjvv/GPOV5677LysO5Zur3j8EyvNV"
    "cGV4PfotnB6D/nx4/TmFOBMuNvsGpSCP0yjMy2PObj/FJiKGBPVLi8Ic2JNkKeCnnK5V0F"
    "9c338e9sHNbf98cDe4HiXA9i/yITaAPQHBbb83zMgTD3JhnsX5f++uR3kCJaJJgWxiwwP/"
    "DyzstgtqDsbmXZ7e0Bwb6nqPjlhFLJDZ5ZGWkkH/gl3x8BzlbPQEZZoHAelR+EcT36TsB5"
    "rXxFoFu2STABpc9e/GvaubBH8ueuM+v3KcfCiC0TenKZ6tFwHfBuMvgH8E/7we9dNsXM8b"
    "/7PDvxNceFQjdKlBM6bJhaMhaun3SVJZLaiBZuheVkabwOgd6KNcw58+SdXRCDTJi4Q6CD"
    "+S39FKAD5g3wvKXx2BGXabWKxhQP8I91M4Gm1XBy7X5lF2mzEc2K9H/hvkvHd33rvodwTm"
    "3IRbQsfUEuDzK/SYpkbWc7OX5sfz9AgkTGE1g9/Cv3loCNt4TJ8Q6ciM5PBad6OJbGNmS7"
    "JpBe3jHpgg6CAHCCIwZaYqww49Ms5Tx/0EKJNRAHsuuPvSe3d8cgpm0J0B7AKXXUdm1jLe"
    "xYIv28TK6K3S6BX/Z2DNN3rD+croLWb0ikdF4w9CKddCgmo3WB92GyeQPv1YAOjTj7k480"
    "tJmG0HTfH3MhBHFG3cysdFdvJx/kY+TgPsUCtHTvTJYp7RQpLqX0BbZ6A7vYurwegMQHOO"
    "yQO55ary/W1vND4DkVrxQNjo5eUZe6HB6TT9fizCmOMiIuY4X8IcZwSMssTyoW+vJWZB19"
    "MW7lZ8T9PugPPN8YbUidEhJi/Y3M9MGdiGz0lKxeV6c/mQnpWaMXY3Nk8ELpN1TjlYYxTK"
    "VfWyq4rDtQMn1X2wTMPALeqeim0quWNKLhCq9v7VTBi0wvl3TskzclwY/PiMAzBxvbvJCW"
    "jEZpaIkzFm0AOUsH/ib0KQdSZcdY8LhlsXWJA8Lth374IZ5t66FYDEZBexicx3U4suucnj"
    "IXm0zC4Xl/gH/0g9DMEt+J/ou4ccAi2NfwXO9z+VM/GAzsQYZ4q6YWIkdXYPbOmH+VDED/"
    "Mh3w/zIeOHyez4EljLaFsI+vHJSREny8lJvpeFX/uRMrh9GVYG7zhNdTh3/HOkKvzlhdzl"
    "G7zlaZDFayCLcH44x5rgVbEc28H8t+mCGCLmc7LAloeJe8Rv+/d9gV91iEfwri7DjhhJPR"
    "jC79cahgi/HYxFU5d2+sWJW+jvbZNDSLn1899C7XXrC4OpnKsqTqKcf1nnn4pZUzFrzXdb"
    "ZYTEDvD9LVynWQKiKLJxwZgAlX0BMLofDg/lDPRxl3gB1wzJd/+JH1U4/i/aXH8JnHHgjY"
    "t4WhtfD+i6v5yuv/3EPthsjyBdjwL2ACagf/T+9KMsFHCna2+VKSfWVElyKl6wTX4mf1OX"
    "AHhN0IZkrSTAJ0UcTCf5DqaTjIMJzSEu5Z5eE7QPXeUmbaqblFDPz5EvmtO5JmjDLq48oV"
    "N5Yn5CT4xyGyi3QY2N21dHuyQS1pMRJUn8Pwfkl7/fImsdoCKHPh3G0sgXSwb7hFzgOfre"
    "ukjN9lAJW3/gL7Zq0UZNgEUX3oRKsnLKAHUt1riKCoG0cFOxpxk5z7t4Am+jldq0qfbujl"
    "s/iXluufij+oJ7TkvKiJcddd9mFMDAh4bdTCQdBGMm2R8dOAc8hBRgs8vGvs2g5/Zsm/2c"
    "+QQ5fGiJJu9ELJ7Lnha2dtZtt9c7bRm6p6L2VNTeoQVPZVF7WwbsqVi9Mk4oZbHno99ei/"
    "0QsRO1Y68Knqg5usoL8nMFTzQV2tzoiQNnUg2CgkPsZ98hz/N/asZkk8zqbrLbcDRfc32C"
    "grbbXTzkQbaMrn9iVhJTLDzwDC2GKsDEZRYimx5NAdBBYWAEIoazsj1ZAaZ936yABSceA2"
    "WvqTrFtTAf9lKyKS4ACieixGiqT304zGnrXpIcsOtnKUh2+GdKLQRJjvCI06U4MGGE+4I+"
    "FCzVQv/5+nqYgP7zIH2SfX/1uc+2vuBDVEY3q+IrYzlf1rTXWF7Y5pZcT1IqrteF65KsIt"
    "k5kzLnlTl/IB2i2SU8kufQEpszc1D90jFhdDperIZH0AwDeFSc2vmneMkjPPBG14M/db0L"
    "xAcOpq6/7QLosgEH2RZG3Ap8w9Wvt/KKHvu7VZFIf57VvRCIEfTd04KWOqIjThfIWuZEp1"
    "GxygbBKio/oFLj9In9rDLGaTi/hcbp7o8RTWQubO0JSbK/8xFOELWulPB+DhDVifi+t/IW"
    "5WtU1RqVjlHHdIxAzynjLoyRqEIpO/ch2nBlUSiRLfkMiZHUgyGtKiUUKfRZIfRy+fiIuk"
    "JxZCNiBseGJTjQuemPLgaj385AQP9Azoe9wVX/4gwYFsRzZD6Qu3COG85hI2Px0XsgF/3h"
    "4Gv/llMwuxE/I4fTXPYGQz40hdjinz8Pr89/5wMTixpPYtXfBzc3fMR9wraNzLRdV0g2nh"
    "aRjWkHVkw2nqZlY2C7SXifa2nFSarzM/2yr5fPjiNy0hZxBtfN3lsJeQtduM112WY99YHY"
    "0BbEk6Uuv3BEkyZWVeCbwOtJKQM/SdWGFN99dwsSxfBE/+4szvlZ1EmqNuBcdSo113C2eG"
    "nFyJT8qrP8WiusWzA5Tas4XWdOq6iR/JdXM+MHVNTIz8j1IlEjqijpPvJqwjTt0pE4KUIF"
    "r0pbUnFOtQC6RWlLNRMQu8taypHCu9m6JUpvNBTg7PunTjF6Nw41kOsic0OYXmZOd1Oknh"
    "3O1oKQuKK1dwnAZEIXxFzH0mETeLxkxhK6ABoG4llXgLIt9YmNI+DvBPCEVmAOnxCbA5gx"
    "7BvFK/aB0HfUlhTi3eONyhX0CG6v6nkcOgRPRS/tPXopttdLoJykaiHQqpqHcjok5qn6m/"
    "V5ZSgT7mdJVYlbIhINOGWo5Cu/6bKERVpOTCh9YgCnekHEV9J1SdJJUcIH8kB0nYtsXf8f"
    "XedyOyhowFXbRE8KixrQYkqwZb0zeJBUWBGBT/QTWqD7xG41pc4nvigjdTyXvSzEyoiY/t"
    "/rxdmvZ1LGQ7ykAnsEPBeYyGFKM1vBoXM+ZQ6W2Jvxvx5I4qvwrwn+TQlDbDnDhpgCKNO3"
    "LWgDZ2FxJZyYYhR9N6wFL6kHoj3Ii/Ed8a8oUPG7aPC5c3bRR+oT09sNOp9gwr5OiOQMui"
    "JhhyHAoBDhhTZyfILtu25w7P08nDDBRpqTs0ZTJeBUq/2bUNZCkytKOeeuUN5BM64eNVeQ"
    "yzDk6k1Kxwz1vyRoQy5BxrnqZUiUh1xDlcoXlMiEpijVEiNt/tdMAtPCyXG35T73cRJ11p"
    "E964g6QpU5m6s4urZBeDYwVj2wczvlEO6c3/aZJOSR6T79Azm/Hl0Obv1odUqm2Ani1f1p"
    "7nrW1c2w71PSuc2VXj7aG533RYy6wZERUeqja+3uy/U3xjqquTO6fCBcMgy+8lnQMWZce0"
    "qrgoX8DEVyeI7zc3iOMzk87IfMEZE9R/nxgHEaFQ24RTQgXThGqdS0iKINeFdQyip4iv3z"
    "mvezLNYbaypJqCusrLQeaW5ppTh+x69C/1ihXxb98AWjcfO8jJTJELZP2OzhBaq89D+hlz"
    "7y8pRkeoKwhTxvCI8LxXoHrtCyLI6RKQbXmsEqrLttsruuYd21Y68KPG4QuuLkqhywcRLl"
    "PZZAysSya9GS2zVFpYBVERY/Y5B8U6EtFyXvh4O8HtVxuE6zBENRUONvmgSo7AuA0f1w2J"
    "EK3l0AG1uqpdgm3zc58OYHW6mOtGU70kYxQ7trSFtUADRFrO61K20Gt82BfGtsC0XzaWKw"
    "YEwfrwfth+PN2DcHk5VIGFmv5Ue/JcLngCg3xMaC4mR++SFdTx/17nDpB/IGey5AxAS2tX"
    "Cz0YCTxXSKnLdH4NsMi8hCv1sIL11949vVd/83ZPPW8XcPJBaAN6XOBJs8Sm8FKI+VAz55"
    "PLaOTsVdXcaj4EeJLJwgzM/dmFETj8f0GZZOofkj8YKJRdep6Luq1fwuyI++Uw7xn8Bfmp"
    "A9ZRmdIVbMrjWzt+pGpVpRbXNif+iqGHV7jJR3uknoHsI73UZMN3tRD1awoW5Q77piwyFd"
    "fk3FNtfnl1duRJ0BtCrLMuSA3DcT489Gr0wwr3CKZUQisga53yNM+fNzCTMplOEddN33ji"
    "y5Y4K7WqAlMgQJm+9KszL3eq+X8w+V86JK54X4PwNrfqBsOF9VsihWyYJZnewBKZVjEiNp"
    "QxRy1SkmNkOs1JZeE7QB7eSWPikS832SH/N9kon5RnMo83/lo7smaB+6exEYSzRxsSydOx"
    "/iGIkCuVh9oQV2MUE+TiWQTtO1D+69pKTZDjaQxlTEcl3pUmTtA3v34tmANjSwJ+klkqsp"
    "x0mqc0h9bErzJfj8qMX9KVuUM9i0RHWIvz9uCuTURoTdT5vRhVOqxWKG8FV9/WomOjZAuJ"
    "cGfiq7L3/DNzNDpEh2H+fIv0saUHGaCktg3I/PO5W8pnffjEoIKA1954V65fF2+UJORqv6"
    "l+5c/M0xYQ+JxzVQ9ufCkzX7zX3jy4mre9d/aMqrnj9n0Hzm5x6aCVelMJaQVofwaVMQ9m"
    "Ooice1T2uLrZxLX6HmetIQrP2A0y1AzhKqLrhpcEUrRl6Pimv45SHOI1eJbJKwloXDEOEJ"
    "GGUUkyRVPVSSlvW4N8TmZS8+g4eYl9n+Ulq197N7P/iCmgXJ4wKWc1jKaCs0iBCpxh56X8"
    "xFvMFDnDkltSy6RKZGHfyIy5lDElIlenYuehw0579/g26TzyEZ7UFZZFAHHQUxO1H0ytHf"
    "LDifmPDvrWFaUIFTg1NvK600l14ZsnmV5wKsSpqycmKFcgZlVbUoH+pm+qQl+TiZxOSFy5"
    "6KUtF/MQql474YYs/RyoJbOjz5PlimWdgWjUuObamyEcmxtwTWRJoY9rDsTVwmyb6He/5K"
    "qwYKq2L1CGysefQJvbYcQc/GY75Me/Zm8pyWEm7P76Jww3lsqbbuqrzeCWVwaluxIGmNQE"
    "S8HYgpAdXAX6y1koofjzw6u3gCB9FKd8jjvuq2YnaIqjyNBErejnh70GTNkNuIW7qT3faI"
    "tTNpVNV+eg1gczSfMFVphu1XAnbnwen0ar1aW/GKqk9tD1WrN1RY7+61GBUvDNgYmPaZ0Z"
    "t+/CRpvZInND+31+WTtZR0eDnDd4jJkwsg7/rpAI/6NdHCLFxvhlZgSZ0ngMknAAmgS8bY"
    "da9P0YDUoalkXF3P5vbu7S7SGmehWymWA5+ucKZyfavM9eXckx9nv9zkLqStc95vp3dxNR"
    "idAWjOMXkgt9zvfH/bG43PYvv8gbDRy8szIJ7U9CNS5PhbNdJRxxqq3X09hd8hD43aiGht"
    "To3qBu7Ojo1UtaDXwFvrakHCcLhDruv/eLlhEV4vYFW4/tTCRYNctl+Q+Q4TMHHokuv8wQ"
    "pHYDxDwOBFfdh/0HEwckWdHxcxhcL7xBR+ayUqG9996b07PjnlVsAMYDdjUezjJg+M52yz"
    "m13gUrE8rzxEFx54IzjLP4lSz3T5lhd/9gs/BzcF6Bk5qyWzQRDghZjZE6LKDtXQFBHnuh"
    "pnuNwgyYkwT1DtxhQ5LMx7zjNUhkU+9O01LNB3G7PVtunfmKBsIdcbwmVJVFyWzcrCURZO"
    "DVTwVwTG7VP5zu2gUqBtSplWKT1gz1YuNqAVVMRMVsf0l9L1t5/YB4POJ5jwEV0XtTV13X"
    "YwdbC3YgOmw7uLuHPoeAC6XPGdI+LJKnRWcMeXFWZ5CxJv4ar+I6qE54E06L1UL+PFHPKi"
    "BjdWgIiI1Ns2p/ZDeVwTRApXWcUHXwpLJcLLB30RdYWZq1MHhd+k8GHf5W2/zxZjlA/k+v"
    "z8/mbQvzgD1DAWNkamOP7r337lY34kGB+7H/W+9gbD3uchI10Q+AyxFaoDhz8GZAYCFgXi"
    "JGGRlxaFeandCbIU16acrgDf6hn5LoP24vqesQ/c3PbPB3eDIG1ybZiJi0IXWTedue33hn"
    "lISwolFkFaVixRIS1D2p3BciVW1wQVih+HLohZUv5sqaHsoeSn8vH9hD6+yLDLcn1jm7Ik"
    "YYWtytYjje1VFlrOJdTVOIkq6aSakx22kZYKLqg2uODwySj1VDZVLopKHWh+6sAaL9khQw"
    "zLDecMccYV68rOO3EJR79oHg14D/J1Q/XUOUC4uK6/7YI1Q/0G60GldCCKCWePGPZ6J2my"
    "wLr9IDc3BEjc5Mh2RM/IZDFfnThUeuIQ8ihrbMpxDedvMjGbK3WkrhNmIqaLamLZMc2Qve"
    "qsca6JHhLlIddQw/wFQzxhbUst7cgh8mvaH7JFgw7VkEOdKKROFG76o4vB6LczwF5fJsNa"
    "dsZQj1MD5f/Lh769/j/lOtmnwFN93ZU76uDGa3c7d5Rq6r6Ppu7KyVdvZ4wIspU4YsLg23"
    "wnDI9fLR7ryeZSApYzPzPJBZjwQgoiA4nnaLFRM+0eETfQdWmv9VevpxKb6uUaqbg/cs3A"
    "3X/nXhu67pIyaVE2dyxD2MLw170grsKL94uvqsqiqrLUhFU/q2MlY6YW0fYPUJ66btug0O"
    "l09JC/3igqbuQ3xSZSNSW3xyteD+OVYMWqcLQFqX1a2z3kYGPWkdjbwZXuJosbRnNeMrnz"
    "YVCGb70MX944QHrqmm8pxEjqrMDWyVjgD1UJhIPpLUR3L5me7I4ekh1I5De3i5FU39PuMB"
    "EaO+tVV0Lt3v3L7Md/AU1X6oo="
)
