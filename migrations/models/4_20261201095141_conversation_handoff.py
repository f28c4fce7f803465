from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "conversation_messages" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "role" VARCHAR(8) NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "author_id" INT REFERENCES "users" ("id") ON DELETE SET NULL,
    "conversation_id" INT NOT NULL REFERENCES "conversations" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_conversatio_convers_853874" ON "conversation_messages" ("conversation_id", "id");
COMMENT ON COLUMN "conversation_messages"."role" IS 'GUEST: guest\nBOT: bot\nSTAFF: staff';
COMMENT ON TABLE "conversation_messages" IS 'One message of a conversation''s transcript (guest, bot or staff), kept for staff to read and answer.';
        ALTER TABLE "conversations" ADD "handoff_at" TIMESTAMPTZ;
        ALTER TABLE "conversations" ADD "status" VARCHAR(16) NOT NULL DEFAULT 'active';
        COMMENT ON COLUMN conversations."status" IS 'ACTIVE: active\nHANDOFF: handoff';
        CREATE INDEX IF NOT EXISTS "idx_conversatio_restaur_73c46a" ON "conversations" ("restaurant_id", "status", "last_activity");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_conversatio_restaur_73c46a";
        ALTER TABLE "conversations" DROP COLUMN "handoff_at";
        ALTER TABLE "conversations" DROP COLUMN "status";
        DROP TABLE IF EXISTS "conversation_messages";"""


MODELS_STATE = (
    "eJztXXtv27y5/yqE/1kDuD2tm6RdMgxwErf1ljg9idMOa17ItETHRGTSry51vJ1+90NSkn"
    "WjbMmxFUklUKAOxYeSfg9FPnf+tzWjBjLtN13c1R38EzvL1gn4b4vAGWI/JFfboAXn8/Aa"
    "b3Dg2BTdIdag1xEjcQWObcdiTeziBJo2Yk0GsnULzx1MCSe5JghYSKeWgQzguBZpA4dSE+"
    "jQNNucyBxD/bENkGVRC7B/hDp4gnXIBwDQcdBs7rzh9zKozm6GycNuh3UJ/tNFmkMfkDNF"
    "Fhv8xx+sGRMDPbGXZH/+aFnIdqBrQeJo2OBEuoWggwwNOq0/eO/5ozbByDRi4HpdRbvmLO"
    "eirU+cT6Ijf6GxplPTnZGw83zpTClZ9cbE4a0PiCCL34+1OZbLUSauafpcCYD3XiTs4r1B"
    "hMZAE+ianFec2nuAsK2laYProXbbG2paK8XHgCLCA79Jp4TPAfaotnj7B/4IrzvvDj8cfn"
    "x/fPiRdRGPuWr58Mu7dQiMRyjgGQxbv8R16ECvh2BBCKqAJgXr+RRaclyD/glk2SMnkQ1w"
    "XAdt0BBiG077MsCdwSfNROTBmbI/3719uwbKb92b8y/dm1es1wG/JWXfqfcVD/xLHe8axz"
    "uyIiDbhg8SiIfoKWPqRki2QtmfnlUBeQ2mw96/hnzkmW3/aUahfHXV/ZdAebb0r1xeDz4H"
    "3SPQn19enyUQZ4vLnD1BIcijNArz4piz20+wgYguQf2TSWEG7HGyBPATTtco6C+u784ue+"
    "DrTe+8f9u/HsTA9i7yJtaAHQHBTa97mVpPHMgX8zTO/7i9HmQtKCFNAmQD6w74P2Biu1lQ"
    "czDWz/LkhObYUNt5sMQoYoDULA+llBT6F+yKg2coY6LHKJM88EnfBD/quJOyFzSuibn0Z8"
    "m6Bah/1bsddq++xvhz0R32+JVO/KPwW18dJ3i2GgR87w+/AP4n+Pf1oJdk46rf8N8t/kzQ"
    "dahG6EKDRkSSC1oD1JL7SVxYzSmBpug2C6N1YPQO5FEu4U8epeJoCJpkI6EWwg/kn2gpAO"
    "+z54LyrcNXw25ig9UM6F/BfApaw+lqwcVKPUpPM4YDe3vk7SDn3dvz7kWvJTDnKtwCWoYW"
    "A59foR2aaFn1TV+adWbJFkiYwGr478KfPFCE53hIHxFpyZTk4Fp7rYo8x0yXZN1y6sddME"
    "bQQhYQRGDCVFWGHXpgnKeWfQooW6MAdmxw+6X7unN0DKbQngJsA5tdR0ZaM97FgJt1YqX0"
    "lqn0iv9TsGYrvUF/pfTmU3rFp6LxD6GQaSFGtRusX3Yax5A+PswB9PFhJs78UhzmuYUm+K"
    "kIxCFFE6dyJ89M7mRP5E4SYIuaGetEj7izlBQSF/982ioD3epeXPUHJwAaM0zuyQ0Xle9u"
    "uoPhCQjFinvCWj99OmEbGpxMkvtjHsZ08iwxnewVppNaYJQmlg19czUxE9qO5tpb8T1Juw"
    "PO18caUiVGB5hs0Ll/MmFgGz7HKRWXq83ll7SsVIyxu9F5QnDZWmcVgzVCoUxVm01VHK4d"
    "GKnu/GFqBm5e81RkUskNU/IFoWzrX8UWg0YY/84p+YksG/ovnzIAxq631xkB9UjPAnEy+h"
    "Q6gBL2T/wmBJknwlT34DLc2sCE5MFlz97mqo3j2m0wxdxqtwSvFpzUmSJweXkFbITsAwCJ"
    "wQixgYzXE5MuBA2SR9KUceN7prCNRh79aMQNjqMRu5VBJxP252KKTQQgmDPYeIAOsRfslx"
    "hYPMNp2JuJSh79YooI68Huz0a1nGzb5Y/Eh+q/Iv+JnhxkEWhqHAI+J//YHPzjvQP/JYR0"
    "GIROqUigUo2iES7mNSdFSKps5tjSnvQ+jz3pfbY96X3KnpT6OgpgLaNtIOido6M8xqKjo2"
    "xrEb/2K2E48NbbInhHacrDueX5w8qw++cy+6+x+idBFttSGuHssJQVwbNiUraD+W8Tl+gi"
    "dnXsYtPBxH7Db/v3fYFfdqiKL08UYUeEpBoM4fdrDENCIWcbZ0JIXeJSJAQxVJABre75sP"
    "+tdwI86nvypTu4uObuA1/c3MaB8O44z2KVNGVFFqvj5GIVyr5FDYxxSmVgrLKBMa5PFGR0"
    "iriBzqImMVv5BLNX0+b6BIU1o5idO0qiPAdpz4EKeFUBr/W3eacWiR3g+zkYp14LRF5kow"
    "tjDFT2AGBwd3m5zpOQSnmTKDtnPuWnf94gc2X3l2Md9Q5chRlxDZnUv8pyvATQbfC/RBDO"
    "54bRolzO547xKQCdAAiiY/3FZphA4hGAV76TZEwdnmgsos4O2uARsWuToAE4FHChRjhHPO"
    "+G3BVTxk3zpDzHsPM+scA7ktvFcYYffhcvx187nffvP3Tevj/+eHT44cPRx7erfTd9ad0G"
    "fNb/zPfgmHi62RfS+MDPz3dM8D7xfIH35Oya/WZT//mhnh9zGGo+ZtppPqYCydGTZN/Ozu"
    "MN+lcZ+50o53tJ4lUK9O9gJ2EXp7RgaFiMRunMaZ1Zsr3nhFZCqfTmzXqznggeeqZml4xF"
    "qhnYeTU8yWTbrD17H/8OQM4Z6lixpSIvtrE1srD6vE990DNbSDTAlT0jW+cTEmLu3NvQNv"
    "MXP9gNvLIRLynFxwOjkTfcaHTAA9DmbI4gL/bMS5YFmIDem3fHh7I03J2OvVWVKjGmCktT"
    "ubpNio3yJnUBgFcETSiUFAf4KE9Q1FF2UNRRKigKzSAuFFK5Imgeuiq0r1UKzrsP7SPUkZ"
    "nzs+0wK4ImzGJlh6kMKxocyKC87srrXmHt9tmZZnLTzQ6dxLXdWNLO4XZMqUTEWRWI3h4q"
    "oev3vcGWDZqoyUUUWT93MbNuwpGaBNbezUyrGZZlbopOwQ1mJy0+9zcboL5PKYC+bQjbqQ"
    "xMCIZsxXqw4AzwtGSAjTZr+z6Fjt2dz9nrzMbI4k0LNH4tcjhtZNts7LQ5aq932jLlUpJt"
    "qUxVKoPyBTX+PWZQbpk8qfImixhXlCaajX5zNdGXCKmvHHtVTH3F0VXa/e8VU19XaDOD6l"
    "+4Ok/fL2LNXvsWOY73qimVTdKrvU5vw2F/zfYIcuput1FXvmyY0eiUaUlMsHDAT2gyVAEm"
    "NtMQWfewC4AWChz+iOjWcu7Iinrv+2Y5NDjxGSh9TZ19VQn1YS9lwKMLQBzjNUVBIjTll6"
    "F4GS/iXgpOYFsLCzgk7KCUmgiSjMUjSpfgwJgR7gv6YGEpF/qz6+vLGPRn/aSH9u7qrMem"
    "vuBDeDSTJARYKcu/obLszo0tuR6nVFyvCtclSRQyP5NS55U6/0IyRL3Lwn61qI5sGxlrUp"
    "NTfdrrlM550LtgUnKXMK1uTF1irNKEseFVQF1AG0BdR1yjA5TNqFNRO9WbCOARLcEMPjKt"
    "EAKm/CGTiUvWkv1B6Gs6lwSv7/FGxZyF/u2Vr/CldU/lK9y7rzAy1wugHKdqINDKU6jE4B"
    "xisIpZVWJwRYFuhBgcDTCUSMCJ+MNs4TcZ8pjriFRKHxnAifzJ6Eij0YH0KNRchN7RBHzJ"
    "Ho3+ZzTi67bvLOGibSyP06Q6NJkQbJqvdfb7MfC2rA4qANB+ZLeaUOvUP+/AcmxxZAEbGR"
    "HD+70anL09W2UcxN017BNwbGAgiwnNbASLzniXGVhgZ8p/3ZPYo/DHBP+hhCG2mGJddAGU"
    "ydsmnAPLNbkQTgzRip500+XheiCcgzzQ7w1/RIGKl3nK+87YRQ+pU1GBaDbGhD1OgOQU2i"
    "J0kCHAoBAFkOf8sFlOsH2mKse+xbr9CCoHi9+ykxc8NFVSa7nSvyEtlc4FJTmuQf914lF9"
    "F3IZhly8SRYDwrJM4Eu+ggwzxcuAKAu5mgqVG4TImKQolRLXFF0yXCujrEbmdx8lUeVh0r"
    "6hsIpCkYA6mRP09xWNa15N39dzW8UQbp3f9NhKeHECfPp7cn49+NS/uRJtlEywNeOtt343"
    "e9Xr6utlz6OkszkXenlrd3DeuxSNHBmTtw2utdsv198Z66hmT+ninvCVof+N94KWPuXSU1"
    "IUzGVn2P2pv3Q2Q0T2HWVnIkdpVDJy8WRkm7qWXihKJqRoAt4lhMn4X7EXgPZumsZ6bbyG"
    "hLrEqI1VS33DNqL4dZ6Ffkehr4JmlN14s904tDsUZHqMsIE8rwmPJSEyaSb7xrmiLI6QKQ"
    "ZXmsEq9K1pa3ee0DeVHaiyA+uFrvClFAM2SqLsmRJI2bJsm7TgdE1QKWCVz/+lfP4qk3Uf"
    "maypVXcHqA6Dceq1MOQFNbrTZBQNly28uwA2MlRDsY3vN8840iyMzthdWbG8E7suy8Vea4"
    "ulcFsfMrXCNlfclCYaC5xk5gU+TdmTg/FShOavxvLijGKBSsAlDjZZ25hHODG1V/w9GiWd"
    "ajsc+p68wo4NEDHA3HTtdNzV2J1MkHXwBnyfYhHD5eV8jkZt8NXTF2//95L1W0U63ZNIqN"
    "OEWmNs8HioJaA8Ksk/7TsaxUQn4q4245H/UiLfwQ+ostfmLkQj3zyGJZMVfsQWzkgck4pz"
    "Kl8vyI5zUobe38AOGFt7ijI6RayYXWlmb1VTQBUU2MY3GpVQipoFE4TKLqisrr+B1bWJmK"
    "63DkYl5eebBxtY8bqdtg8m1sbqmbLqim2mLUuKqrJtNy2fLeCA3DYT4c9aq4zfb4szB0V+"
    "Frd7BMlVXtZWKlktuMNo5FlHFtwwwU0t0BS5WIT1t6X5b3u91+ZML2W8KNN4oU4e3G/NAK"
    "Z1sg+kUDR/hKQJweVlB/Orsx7VWY81XjAWaGxjWeJsNsQREgVyvkouLrYxQR5OBZBO0jUP"
    "7r0k/8wtrCONiYjFjjBNkDUP7N0vzzqcQ90/eCqnpBwlKc8gdfi20gJzRID7+aBF7SlbJI"
    "6vG6I8xN916gI5nSPC7qdNqWsVqqudInxWce2KLR1rINxLbW2VtZY94euZ+ZAna41z5D8F"
    "FagoTYnFBu6G561Stunjwxzb9PFh5jbNL8W/LbFAaeiJl0SVx9tlL3Iy2vIPEWj9beISXQ"
    "RBjV1sOpjYb/ht/74vlpS9/M0wYR+JwyVQ9tOVng2fuePLicvb69/XZavn3xk0fnK/h2bA"
    "ZSGMJaTlIXxcF4S92GDicOnT3GIqZ9KXKLke1QRrL+B0C5DThOWhW5eJbELb0XjlHy7hF4"
    "c4i1wlaEnCWlyLIcITC4oIJnGqaogk/H6NEUm4nYZPXrbx6TzEvMj0l9KquZ+e+/4DaiYk"
    "Dy4sZrCU0ZaoECFSjj70Lp+JeI2FOOUlNU26QIZGLfyAi6lDElK19Ox86VFlMLK/jXoagy"
    "SB8KkyGK7NhNJCYTcRCrW5bIxt5WilwS0cF3jnD1MvbPMGBEamVNFQwMgGg70DH7GDZUJt"
    "kezWLu56Iy1ruFhl5rXGduM51hz6iJ6bB9yd4yEfpjlzM1lUkQvSu8iYPo8M1dRZlVUeug"
    "hOTas+IS06hYizg2VKQNX3BmvsSoXDU82fCVdfegZ8EzGTHyS4PXKyYwybiFvyDJrtEWtm"
    "ElJKoVe1RAoANkOzMZMApnj+TMBuHTiZXK1GaypeYTWT7aFq9IQK6gI9F6P8BZRqA9M+M8"
    "SSn58kTUzyhWbnitm8s5ZYHTZnjF1i8sjP0+XKM3CoV2MnyOpypmgJFtR6BJicAkgAXTDG"
    "rk7pEkeHWTSR3DUapXPF9nYXac2cwFoSyalUx/u+ZO4Y557cPbL5eJqAtsp5ZK3uxVV/cA"
    "KgMcPkntxwc+rdTXcwPInM83vCWj99OgHiS01+IrkyHHZ/howK3WyYtV4dVPvSfuHyfSFN"
    "RLQyzpCqgbszb4iqPtHY6hNCcbhFto3lxynHrufQKmyva+4iFDabL8h4jQkYW3TBZX5/hD"
    "dgOEVA50Ui2H/QsjCyRd0IGzGBwjllAr+5FJUyb790X3eOjrkWMAXYTmkU+7jJPeM5m+xG"
    "G9hUDM8rWVDXAa8EZ/lfonQoXRzwYqJeIVH/pgD9RNZywXQQBHhhT/aFqDIWFVRFhLtS4w"
    "yXKyQZEYsxqt2oIi8L857zVpRikQ19cxUL9DTHbLRtzrmKUTaQ6zXhsiTYK81mpeEoDacC"
    "Ivgz4r32KXxnVuTPUYa/SOn9LphPlzbWoelXWItXW/OGGo0OTtkfOp2NMeEto5Go1TYazS"
    "1MLewsWYNh8Wr19gxaDoA2F3z5IdGyim8l3HGzwCwvac/PMFf17FVJuJeRoPdSDYcnB2cF"
    "w63NKA6J1G6bkUtcHNcYkcJVlkHsrcLSFWGzoy+kLjETamKh4ElyO/s+3fR6bDBGeU+uz8"
    "/vvvZ7FyeA6ro7x8gQ7r/ezTfe5kWC8ba7Qfdbt3/ZPbtkpC6BPyE2A3Hg5d2ATEHAouDQ"
    "k0TqNCnMShWMkSW4NuF0OfhWzYBuGbQX13eMfeDrTe+8f9v3c6dWipm4KGSR1SEGN73uZR"
    "bSksJbeZCWFd9SSMuQtqewWMm+FUGJy49FXWIUXH+2lFD2UEJO2fh+QxtfqNilub722Js4"
    "YYlH36xaanv2TaA5FxBXoySqRIg67EYd21wBoEsLLnj5ZJRqCpsqF0WlDtQ/dWCFl8zJEM"
    "FyjZ8hyrh8p/zyk12EoV8cRgr4mbarA3oTfoBg8NHooA1WDPUO7PUr7wJRnDLtYtjrnaTJ"
    "AqvjrLi6IUDiKkf6hN3Umiz6K49DqR6HgEdpZVOOa9B/nYpZ31VHajphKmKySBuWuWku2V"
    "ZnDjNV9IAoC7maKuYbFPGYti3VtEODyMekPWSLgu+qwLvyKCQ8Cl97g4v+4PMJYNuXwbCW"
    "+Riq4TVQ9r9s6Jtr/1Omk30ueOqcYGWOenHltb2dOUodEryPQ4KVka/axhgRZCsxxATBt9"
    "lGGB6/mj/Wk/WlBCymXmaSDTDhhRREBhLP0WKtRtI8Im4wGknP7n32eCqxqVqmkZLP26wY"
    "uPs/CXIObXtB2WpRNHcsRdjA8Ne9IK7Ci/eLr6rKoqqyVIRVv6thJaWm5pH2X6DqctWmQS"
    "7vdLTs8o5KmEbLL+evYloXNUlu5nu+RpnfQlJHpFRBzmJ4RYuJPBOsSAmTpiC1T1NFF1lY"
    "n7Ykxgr/SnuduQKGfTbZK7JhUFaDalkN+G4mdVlnq1kRkipL/1XStPhHVQBhv3sD0d1Lmi"
    "y7o4Nk3pzss8AiJOWfAfYy4S07O+2rgM6y+83s1/8DHx7fqg=="
)
