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
    "eJztXX1z2jq6/yoa/tl0hva2tEl7052dIQlpuYeQbEJ6dvbkjC2wCJoYibVNCbu3330l2c"
    "ZvMtgEjO1opjMlth7Z/j2y/Lw//2lMqYFM+10bt0cO/omdZeMU/KdB4BSxH5KzTdCAs1lw"
    "jh9w4NAUwyHWoDsQI3EGDm3HYofYyTE0bcQOGcgeWXjmYEo4yTVBwEIjahnIAM7cIk3gUG"
    "qCETTNJicyh3D01ATIsqgF2D9CHTzGI8gnANBx0HTmvOPXMuiIXQyTx91OOyf4X3OkOfQR"
    "ORNkscn/+JMdxsRAz+wh2Z9/NCxkO3BuQeJo2OBEIwtBBxkadBp/8tGzJ22MkWlEwHWHiu"
    "Oas5yJY13iXIqB/IGG2oia8ykJBs+WzoSS1WhMHH70ERFk8euxY4415yiTuWl6XPGBdx8k"
    "GOI+QYjGQGM4NzmvOLV7A8Gxhqb1rwfaXWegaY0EH32KEA+8QyNK+Bpgt2qLp3/kt/C29e"
    "HT509fPp58+sKGiNtcHfn8y710AIxLKODpDxq/xHnoQHeEYEEAqoAmAev5BFpyXP3xMWTZ"
    "LceR9XFcB61/IMA2WPZFgDuFz5qJyKMzYX9+eP9+DZQ/2rfn39u3R2zUG35Jyt5T9y3ue6"
    "da7jmOd2hHQLYNHyUQD9BzytINkWyFsrc8ywLyGkwHnX8M+MxT2/6XGYby6Kr9D4HydOmd"
    "6V33v/nDQ9Cf967PYoizzWXG7iAX5GEahXl+zNnlx9hAZCRB/dKkMAX2KFkM+DGnqxX0F9"
    "f3Z70OuLntnHfvutf9CNjuSX6IHcCOgOC20+4l9hMH8s08ifP/3V330zaUgCYGsoFHDvh/"
    "YGK7XlBzMNav8viC5thQ23m0xCxigsQqD6SUBPoX7IyDpyhloUco4zzwSN/5P6r4JWUPaF"
    "wTc+mtknUbUPeqczdoX91E+HPRHnT4mVb0pfCOHp3EeLaaBPzeHXwH/E/wz+t+J87G1bjB"
    "Pxv8nuDcoRqhCw0aIUnOP+qjFv+eRIXVjBJogm6zMFoFRu9AHuUS/vhJKo4GoEk+JNRC+J"
    "H8hpYC8C67Lyj/dHhq2G1ksooB/ctfT/7RYLlacLFSj5LLjOHAnh65X5Dz9t15+6LTEJhz"
    "FW4BLUOLgM/P0BaNHVmNTZ6atqbxI5AwgdXwnoXfua8Iz/CAPiHSkCnJ/rnmWhV5hpkuyY"
    "Zl1I/bYIighSwgiMCYqaoMO/TIOE8t+yugbI8C2LHB3ff229bxCZhAewKwDWx2HhlJzXgX"
    "E27WiZXSW6TSK/5PwJqu9PrjldKbTekVr4rGX4RcpoUI1W6wPuwyjiB98ikD0CefUnHmp6"
    "Iwzyw0xs95IA4o6riUW1lWcit9IbfiAFvUTNknOmQ+TUghUfHPoy0z0I32xVW3fwqgMcXk"
    "gdxyUfn+tt0fnIJArHgg7Ojl5Sn7oMHxOP59zMKYVpYtppW+w7QSG4zSxNKhr68mZkLb0e"
    "b2VnyP0+6A89WxhpSJ0T4mG3Tun0wY2IbPUUrF5XJz+ZCWlZIxdjc6TwAu2+usfLCGKJSp"
    "arOpisO1AyPVvTdNxcDNap4KLSq5YUq+IRRt/SvZZlAL4985JT+RZUPv4RMGwMj55joj4C"
    "g0MkeczGgCHUAJ+yd+E4LMU2Gqe5wz3JrAhORxzu69yVUbZ243wQRzq90SHC04qTNBoNe7"
    "AjZC9hsAicEIsYGMt2OTLgQNkkfSFHHhB6aw6bpLr+vc4Kjr7FIGHY/Zn4sJNhGAYMZg4w"
    "E6xF6wX2JicQ9fg9FMVHLpFxNE2Ah2fTar5aTbLv+IvajeI/Kf6NlBFoGmxiHga/LPzcE/"
    "7jPwX0JIh37olIoEKtQoGuJiVnNSiKTMZo4t7Ukfs9iTPqbbkz4m7EmJtyMH1jLaGoLeOj"
    "7OYiw6Pk63FvFzv2KGA3e/zYN3mKY4nBuuP6wIu38ms/8aq38cZPFZSiKcHpayInhRTMp2"
    "MP91PCcjEbs6nGPTwcR+xy/7t32BX3SoiidP5GFHiKQcDOHXqw1DAiFnG2dCQF3gViQEMZ"
    "STAY32+aD7o3MKXOoH8r3dv7jm7gNP3NzGgfDhJMtmFTdlhTark/hmFci+eQ2MUUplYCyz"
    "gTGqT+RkdIK4hs6iOjFb+QTTd9P6+gSFNSOfnTtMojwHSc+BCnhVAa/Vt3knNokd4PvNn6"
    "daG0RWZMMbYwRUdgOgf9/rrfMkJFLeJMrOmUd5+dstMld2fznWYe/AVZARV5NF/asox4sP"
    "3Qb/SwjhbG4YLczlbO4YjwLQMYAgPNdfbIYJJC4BOPKcJEPq8ERjEXX2pgmeEDs39g8Ahw"
    "Iu1AjniOvdkLtiirholpTnCHbuK+Z7RzK7OM7w42vxcvxvq/Xx4+fW+48nX44/ff58/OX9"
    "6rubPLXuA3zW/ca/wRHxdLMvpPaBn9/umeB96voCH8jZNfvNlv7LQz2/ZDDUfEm103xJBJ"
    "KjZ8l3Oz2P1x9fZux3opzvJYlXKdCvwU7CTk5oztCwCI3SmZM6s+TznhFaCaXSmzfrzaNY"
    "8NALNbt4LFLFwM6q4UkW22bt2X35dwByxlDHkm0VWbGN7JG51ed96oOu2UKiAa7sGek6n5"
    "AQM+feBraZv3jBbuDIRrykFJ8P6Lo7na6/4QFoM7ZGkBt75ibLAkxA592Hk0+yNNydzr1V"
    "lSoxpwpLU7m6dYqNchd1DoBXBHUolBQF+DhLUNRxelDUcSIoCk0hzhVSuSKoH7oqtK9RCM"
    "67D+0j1JGZ89PtMCuCOqxiZYcpDStqHMigvO7K615i7fbFmWZy080OncSV/bAkncPNiFKJ"
    "iLMqEL09VELX77qTLWu0UCNg0bkzpJKKOHmAuhZzZA85qOKiYm8zsn7u4g28DWaq06Lauz"
    "lu9SammeXCr+oG85wW3SM2G+p+n1AAPRsathOZqhAM2M7+aMEp4OnbABtNduz3CXTs9mzG"
    "Hmc6RBY/tEDDtyLX1WZvC5s7abbb65W2TE2VZKUqk57KND2gZWSPmaZbJpmq/NI8Riilsa"
    "ejX1+N/RCpB6Vjr8o9KDm6ygryunIPqgptavLBgasYdb1i3+yx75DjuI+aUNkko5rr9DYc"
    "jNdslyCj7nYXDnmQTaPrX5mWxAQLB/yEJkMVYGIzDZEND4YAaCE/MAKRkbWcObLi5/u+WA"
    "YNTrwGSl9TPcJKoT7spVx6eAOIYrymeEqIpvhyHYfxtu6lMAe2taDQRcwOSqmJIEnZPMJ0"
    "MQ4MGeG+oPc3lmKhP7u+7kWgP+vGPdn3V2cdtvQFH4IWVpJQaaUsv0JleT4ztuR6lFJxvS"
    "xclySbyPxMSp1X6vyBZIhql8+N+qElOmfCUb3JTRh4x/MlbDtUeO1cL17UhQeOdN37qetN"
    "IP7gYOr6myaAvCathWYmRlwLPOLi15v1adq7v1SWSP+gvBpBz47mtbMW3aibQNauOvBGha"
    "pxerOo/IBCldMn9lh5lFN/fA2V0927EQ1kzGfaE5IUT0tHOEJUuzZe+3EgKo/4vpfyFiWX"
    "VaVllY5RxnQMT87JYy4Mkajivju3Ic7g0qRQsrekMyREUg6G1Kr8dQWrLc8QMTy3YZ5CPj"
    "ed/kW3/+0UePQP5LzX7l51Lk7ByIR4iowHcuePsf0x7MhA/Ok8kItOr/ujc8spmN6IfyKL"
    "01y2uz1+aAyxyf8+612f/8YPDE06ehKz/ta9ueFH7Cc8myEjrtdl2ht3XtjZ090kvE8vbh"
    "IiKc7O9H5fH58dR+TENeIEruuttxLyGppwq2uyTVrqvW1DmxNHlrq8wUUTJ1YF0qvA62Eu"
    "BT9KVYcU33136ha15JFlycropGdRR6nqgHPRqdRcwtnioxUiU/tXmfevlcC6BZPjtIrTZe"
    "a0ihpJ/3hVM35ARY28Rq5niRpRPT32kVfjp2nnjsSJESp4VdqSinMqBdA1Slsq2Qaxu6yl"
    "lF14N0s3R+mNigKc/P6UKUbvxqIjZNvIWBOmlxjTXBepN/NH52yw0iYAkyGdE2MVS4cNt5"
    "v7AtoAjkaIZ10BypbUV9EH3l0J4AktwRQ+ITYGMGXYVYqX7A9C39KZpBDvHi+Ur6CHd3lV"
    "z+PQIXgqemnv0UuhtZ4D5ShVDYFW1TyU0SEyTtXfLM8nQ6lwryVVJayJSCTgmKKSLvzGyx"
    "JmaTkxpPSJARzrBRGeSdclSSdZCR/IA9F1vmXr+v/oOt+3vYIGXLSN9KQw6QiaTAg2zbcj"
    "HiTlV0TgA92EFmg/sUuNqfWVT8pILcdmHwsxMyKG+3s1OXt6tss4iJdUYK+AYwMDWUxoZj"
    "NYdMqHTMECOxP+64FEboXfJvg3JQyxxQSPxBBAmbxtwhmw5iYXwokhjqLnkTnnJfVAsAZ5"
    "Mb53/BYFKm4XDT52yk66SH0V3RSnQ0zY7fhITqAtEnYYAgwKEV44Q5ZLsH3XDY69m4fjJ9"
    "hIc3JWaKoEnGKlf8EfqaCU4nf1xq8Tj6q7kcsw5OJNvLEhlnU16fEdZJAqXvpEachVVKjc"
    "IERGJEWplLimgaQxt1LMbanvfZhE+TqSvo6gI1Qe31zB0bUVwrOCseqentvIh3Dj/LbDdk"
    "Ieme7SP5Dz6/5l99aNVqdkjC0vXt0dZq9GXd30Oi4lnc640MuPtvvnHRGjPuLIiCj1/rV2"
    "9/36d8Y6qtkTunggfGfo/uCjoDWacOkpLgpmsjNkyeFppefwtBI5POxBpojI3qP0eMAwjY"
    "oG3CIakM6tUa7UtICiDngXUMrKe4tdf82HSRLrtTWVJNQFVlZaHaluaaUwfq0Xod9S6OdF"
    "3//AaFw9z7PLJAjrt9ns4QOqrPSv0EofWHlyMj1CWEOeV4THmWK9PVNoXhaHyBSDS81gFd"
    "Zdt727rGHdpWOvCjyuELrCc5UP2DCJsh5LIGXbsm3SnMs1RqWAVREWrzFIvqrQ5ouSd8NB"
    "Xo7qwJ+nWhtDVlDDX5oIqOwGQP++12tIN95dABuaqqbYRr83KfCmB1upjrR5O9IGMUO7a0"
    "ibdQOoyra61660CdzWB/KtsM0UzaeJgxlj+ng9aDccb8LuHAyXImFkNZcb/RYJnwOi3BA7"
    "5hUnc8sP6Xrc1bvDqR/IEXZsgIgBZubcTkYDDufjMbLevAO/T7CILHS7hfDS1TeuXn339x"
    "4bt4q/eyChALwxtYbY4FF6S0B5rBxwycOxdXQsrmozHnkPJbJwvDA/e21GTTge02VYPIXm"
    "j8gHJhRdp6LvihbzmyA9+k4ZxF+BvTSy9+RldIJYMbvUzN6qG5VqRbWNx/7QVTHK9hop63"
    "SV0D2EdbqOmK63oh6sYEPZoN51xYZDmvyqim2qzS+t3IjyAdQqy9LngNw2E+LPWquMNy5z"
    "imVAIrIGud3DT/lzcwkTKZT+FXTdtY4suGGCm1qgKTIECRtvS7My93qtzfmHynhRpPFC/J"
    "+ANT1Q1h+vKllkq2TBtE72guTKMQmR1CEKuegUkxlDLNeSXhHUAe3okj7OEvN9nB7zfZyI"
    "+UZTKLN/paO7IqgfunvZMBZoaGNZOnc6xCESBXK2+kJzbGOCXJxyIB2nqx/ce0lJm1l4hD"
    "QmIubrShcjqx/Yu9+eR3AGR9iR9BJJlZTDJMUZpD5VpfkS/Pmohe0pW5QzWDdFcYh/aFUF"
    "cjpDhF1Pm9C5lavFYoLwRX39SrZ1rIFwLw38VHZf+oKvZoZIluw+zpF/51SgwjQFlsC4H5"
    "w3CvlM774ZldigNPTMC/XK4+3SNzkZrepfuvPtb4oJe0kcLoGyn3NH1uw39YsvJy7uW/+x"
    "Kp96/p5B4yf3e2gGXObCWEJaHMInVUHYjaEmDpc+zS2Wcip9gZLrcUWwdgNOtwA5Sai64M"
    "bBFa0YeT0qLuHnhziNXCWyScJa5hZDhCdg5BFMolTlEElq1uN+JBYv+/CNeIh5nuUvpVVr"
    "P7n2vRvUTEge5zCfwVJGW6BChEgx+tCHbCbiNRbihJfUNOkCGRq18CPOpw5JSNXWs/Otx0"
    "JT/vxrZJt0DsloD8qiEbXQOy9mJ4heefdXE06HBvxbbZjmVeDU4NjZSipNpVeKbFrlOQ+r"
    "nKqsnFihnEBZVS1Kh7qaNmlJPk4iMXlus7ciV/RfiELJuBtD7DlaSXBzhyffe9NUC9uscc"
    "mhJZU3Ijn0lcCaSBPDDpZ9ifMk2bdx251pWcHNKls9ghnWHPqEXlqOoD3DAz5NfdZm1E9L"
    "Cdfnd1G44Tw0VV1XVVrvhDw41a1YkLRGICLODrYpAVXXnay2OxV3jzxau3gDu8FMd8jhtu"
    "q6YnaIqjyVBErejnh70GTNkOuIW7yT3faI1TNpVNV+eglgUzQdMlFpgmcvBOzOgePx1Wq2"
    "uuIVVJ/aHqpaLyi/3t1LMcpeGLAyMO0zozf++knSeiVvaHpur80Ha7HdYXOGbw+TJxtA3v"
    "XTAg51a6L5WbjOBC3BglpPAJOvABJAF4yxq16fogGpRWPJuLqezO3d21WkNc58s1IoBz5e"
    "4Uzl+haZ68u5J3dnb25y59OWOe+30b646vZPATSmmDyQW253vr9t9wenoXX+QNjRy8tTIN"
    "7U+CuSxf2tGukot4Zqd1/Oze+QTqM6Iloar1HZwN2Z20hVC3oJvKWuFiQUhztk2+7DyxUL"
    "/3wGrcJ2h2YuGmSz9YKMt5iAoUUXXOb3ZngHBhMERryoD/sPWhZGtqjzYyMmUDhfmcBvLk"
    "Vl47vv7bet4xOuBUwAthMaxT4u8sB4zha70QQ2FdPzykN07oAjwVn+lyj1TBdvePFnt/Cz"
    "d1GAfiJruWA6CAK8EDN7Q1TZoRKqIsKvq3GGyxWSlAjzCNVuVJHDwrznPEOlWKRDX1/FAj"
    "3PMJttm/6NEcoacr0iXJZExSXZrDQcpeGUQAR/QWDcPoXv1A4qGdqm5GmV0gazydLGI2h6"
    "FTGj1THdqXT9zVf2x4hOh5jwI7ouamvq+szC1MLOkh0wLN5dxJ5CywHQ5oLvFBFHVqGzgC"
    "tuFpjlLUicua36j6gSngeSoPdSvYwXc0iLGlxbASIgUl/blNoP+XGNEClcZRUf3F1YuiNs"
    "dvQF1AVmro4t5N9JZmff5W2nwyZjlA/k+vz8/qbbuTgFdDSazzAyhPuvc/uDH3Mjwfix+3"
    "77R7vba5/1GOmcwJ8Qm744cHg3IFMQsCgQJwmLvDQpTEvtjpDFuDbmdBn4Vs7Idxm0F9f3"
    "jH3g5rZz3r3remmTK8VMnBSyyKrpzG2n3UtDWlIoMQvSsmKJCmkZ0vYE5iuxuiIocPux6J"
    "wYOfefLSWUPZT8VDa+V2jjCxS7JNfXtimLEhbYqmx1pLK9ynzNOYe4GiZRJZ1Uc7LDNtJS"
    "wQXFBhccPhmlnMKmykVRqQPVTx1Y4SVzMoSwXONnCDMuW1d23olLGPpF82jAe5CvGqrH/A"
    "D+5Lr+pglWDHUbrHuV0oEoJpx0Mez1StJkgVX7Qa5uCJC4ypHsiJ7Yk8V45XEo1OPg8yip"
    "bMpx9cevUzGru+tITSdMRYwX1cQyN02PferMQaqK7hOlIVdRxXyDIh7RtqWadmAQ+RK3h2"
    "zRoEM15FAehZhH4abTv+j2v50C9vkyGNYyH0M5vAbK/pcOfX3tf8p0ss8NT/V1V+aogyuv"
    "ze3MUaqp+z6auisjX7mNMSLIVmKI8YNv040wPH41e6wnG0sJWEzczCQbYMILKYgMJJ6jxY"
    "4acfOIuICuS3utv3g+ldhULtNIwf2RSwbu/jv3zqBtLyjbLfLmjiUIaxj+uhfEVXjxfvFV"
    "VVlUVZaSsOq1GlYSamoWaf8A5anLtgwyeafD9al3VMI0XKc6exXTqqhJcjPfyzXK7BaSKi"
    "KlCnLmwytcTOSFYIVKmNQFqX2aKtrIwqNJQ2Ks8M4015krYDBmk70iHQZlNSiX1YB/zaQu"
    "63Q1K0RSZum/TJoWf6lyIOwNryG6e0mTZVd0kMybk94ZMERSfEPAw4S37KzRXw6dZfcfs1"
    "//BXpLqlE="
)
