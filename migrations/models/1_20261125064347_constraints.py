from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    # Rules the models cannot express: CHECK constraints from the seed, and the
    # btree_gist exclusion constraints that make overlapping active bookings of
    # one table impossible, whatever the application does.
    return """
        CREATE EXTENSION IF NOT EXISTS btree_gist;
        ALTER TABLE "tables" ADD CONSTRAINT "check_guest_capacity"
            CHECK (min_guests <= max_guests AND min_guests > 0);
        ALTER TABLE "reservations" ADD CONSTRAINT "check_guest_count" CHECK (guests > 0);
        ALTER TABLE "reservations" ADD CONSTRAINT "check_interval" CHECK (ends_at > starts_at);
        ALTER TABLE "reservation_tables" ADD CONSTRAINT "check_allocation_interval"
            CHECK (blocked_until > starts_at);
        ALTER TABLE "reservations" ADD CONSTRAINT "reservations_no_overlap"
            EXCLUDE USING gist (table_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
            WHERE (table_id IS NOT NULL AND status IN ('created', 'confirmed', 'seated'));
        ALTER TABLE "reservation_tables" ADD CONSTRAINT "reservation_tables_no_overlap"
            EXCLUDE USING gist (table_id WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&)
            WHERE (active);
        """


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "reservation_tables" DROP CONSTRAINT IF EXISTS "reservation_tables_no_overlap";
        ALTER TABLE "reservations" DROP CONSTRAINT IF EXISTS "reservations_no_overlap";
        ALTER TABLE "reservation_tables" DROP CONSTRAINT IF EXISTS "check_allocation_interval";
        ALTER TABLE "reservations" DROP CONSTRAINT IF EXISTS "check_interval";
        ALTER TABLE "reservations" DROP CONSTRAINT IF EXISTS "check_guest_count";
        ALTER TABLE "tables" DROP CONSTRAINT IF EXISTS "check_guest_capacity";
        """


MODELS_STATE = (
    "eJztXXtv27YW/yqE/7ktkOauaZIVyTDATZzVd46T6zjrsGaQaYmOicikp0cSb7ff/ZKUZL"
    "0oR3JsWVIJFKhD8VDSj9ThOYfn8U9rRg1k2vtt3NYd/IidResE/NMicIbYD8nVPdCC83l4"
    "jTc4cGyK7hBr0OuIkbgCx7ZjsSZ2cQJNG7EmA9m6hecOpoSTXBEELKRTy0AGcFyL7AGHUh"
    "Po0DT3OJE5hvrDHkCWRS3A/hHq4AnWIR8AQMdBs7mzz+9lUJ3dDJP7zQ7rEvyXizSH3iNn"
    "iiw2+Nc/WTMmBnpmL8n+/NqykO1A14LE0bDBiXQLQQcZGnRaf/Le8wdtgpFpxMD1uop2zV"
    "nMRVuXOBeiI3+hsaZT052RsPN84UwpWfbGxOGt94ggi9+PtTmWy1Emrmn6sxIA771I2MV7"
    "gwiNgSbQNflccWrvAcK2lqb1r4baTWeoaa3UPAYUkTnwm3RK+Bpgj2qLt7/nj/Du4P3hj4"
    "cfPxwffmRdxGMuW3785t06BMYjFPD0h61v4jp0oNdDTEEIqoAmBevZFFpyXIP+CWTZIyeR"
    "DXBcBW3QEGIbLvsywJ3BZ81E5N6Zsj/f//DDCih/aw/OPrcHb1ivt/yWlH2n3lfc9y8deN"
    "c43hGOgGwb3ksgHqLnjKUbIVkLZX95VgXkFZgOO78P+cgz2/7LjEL55rL9u0B5tvCv9K76"
    "vwTdI9Cf9a4+JRBnzGXOnqAQ5FEahXlxzNntJ9hARJegfmFSmAF7nCwB/ITTNQr686vbT7"
    "0OuB50zro33at+DGzvIm9iDdgREAw67V6KnziQM/M0zv+5uepnMZSQJgGygXUH/A+Y2G4W"
    "1ByM1as8uaA5NtR27i0xihggtcpDKSWF/jm74uAZyljoMcrkHPik+8GPOu6k7AWNK2Iu/F"
    "WyigF1Lzs3w/bldWx+ztvDDr9yEP8o/NY3x4k5Ww4CvnSHnwH/E/xx1e8kp3HZb/hHiz8T"
    "dB2qEfqkQSMiyQWtAWrJ/SQurOaUQFN0LwujdZjoDcijXMKfPEjF0RA0yUZCLYTvya9oIQ"
    "DvsueC8q3DV8MGscFqBvS3YD0FreFyteDTUj1KLzOGA3t75O0gZ+2bs/Z5pyUw5yrcE7QM"
    "LQY+v0IPaKJl2Td9aXYwS7ZAwgRWw38X/uSBIjzHQ/qASEumJAfX9laqyHPMdEnWLad+3A"
    "ZjBC1kAUEEJkxVZdihezbz1LJPAWU8CmDHBjef2+8Ojo7BFNpTgG1gs+vISGvGmxjwZZ1Y"
    "Kb1lKr3i/xSs2Upv0F8pvfmUXvGpaPxDKGRaiFFtBuvdLuMY0seHOYA+PszEmV+Kwzy30A"
    "Q/F4E4pGjiUj7Is5IPshfyQRJgi5oZfKJD3FlKComLfz5tlYFutc8vu/0TAI0ZJndkwEXl"
    "20G7PzwBoVhxR1jrxcUJ29DgZJLcH/NMzEEeFnOQzWEOUgxGaWLZ0DdXEzOh7Wiuvda8J2"
    "k3MPP1sYZUaaIDTF7QuR+ZMLDOPMcp1SxXe5Z3aVmp2MRuRucJwWW8zioGa4RCmapeNlVx"
    "uDZgpLr1h6kZuHnNU5FFJTdMyRlC2da/ijGDRhj/zih5RJYN/ZdPGQBj1/dWGQH1SM8Cfj"
    "L6FDqAEvZP/CYEmSfCVHfvMtz2gAnJvcuefQ9MMbfWLQAkBruIDWS8m5j0ias8DpJ7y2xy"
    "cIl98GviY/BvwX+iZwdZBJoafwQ+738qY+IOjYmRmclrhomQVNk8sKYd5kMeO8yHbDvMh5"
    "QdJrXiC2Ato20g6AdHR3mMLEdH2VYWfu1bQuH2eFgRvKM05eHc8s6RyrCX5zKXr7CWJ0EW"
    "20Aa4Wx3jiXBq3w51oP5p4lLdOHzOXax6WBi7/Pb/rwt8Mt28fD36iLTESGpxoTw+zVmQo"
    "TdDka8qQsb/aLEDbT3NskgpMz62btQc836QmEqZqqKkijjX9r4p3zWlM9a/c1WKSaxAXx/"
    "CcapF4PIi2yUMcZAZQ8A+re93q6MgR7uEivgckKyzX/ipXL7/4WL61++MQ68sREPa+Pjgd"
    "HIG240envK/pizNYJGo9BhD2ACOvvvjw9lroAbHXutSDkxpgqSU/6CTbIzeYu6AMBLgiYE"
    "a8UBPspjYDrKNjAdpQxMaAZxIfP0kqB56CozaV3NpIQ6Xox83pjOJUETVnHpAZ3KEvMdWm"
    "KU2UCZDSqs3L7a2yUWsB73KInj/8knv/h1gMylg4oc+qQbSy03lhT2Mb7AY/SdZZKa9aES"
    "un7XG2zRoIWaZKLIetzEyhqEIzUJrK2bmZYrLMvcFF2CL5idtPjaf9kA9WVKAfRtQ9hOeY"
    "hBMGQc696CM8BdIwE29ljblyl07PZ8zl5nNkYWb3pC43fCx8xGts3GTpujtnqnNV3SlDea"
    "8kbbNeMpzRttTUc05YNWxLiiNNFs9Jurie7CJ6By06ucAiqOrtLuvy+ngLpCm+kVsOMIoa"
    "6fSIe99g1yHO9VUyqbpNfeKr0Nh/012yPIqbvdRI/yZcOMRqdMS2KChQMeoclQBZjYTENk"
    "3cMuAFooOPBHRLcWc0eWWGjbN8uhwYnPQOlrKv9uJdSHraQiijKA3AEWEZryXfp3c4q4Fe"
    "d9bHve95IV/olSE0GSwTyidIkZGDPCbUEfMJZyof90ddWLQf+pmzyhvb381GFLX8xDmB42"
    "LeIrZTmb1zRXWXbnxpqzHqdUs16VWZdEy8jOmZQ6r9T5HckQ9U5NcW1RHdk2Mi79WgsStT"
    "PVZ2+V0jkPemt++Ya8/uqEaXVj6hID+IQAM7WQH8c9QRtAXUdcowOUrahT1o6AtxDAA1qA"
    "GXxgWiEETPlDJhOXeJIJQOg7Opc4r2/xRsUOC/3bq7PCXeue6qxw62eFkbVeAOU4VQOBVi"
    "eFSgzOIQYrn1UlBlcU6EaIwVEHQ4kEnPA/zBZ+ky6Puco0UPrAAE7ET0ZHGo3eSssx5CK8"
    "I3dkNOIsezT692jE+bZ/WMJF21gcp0l1aDIh2DTf6ez3Q3Dawjt63nXQfmC3mlDrlA/KSC"
    "3HZpuFGBkRw/u9HJy9PeMyDuLHNewTcGxgIIsJzWwEi854lxl4ws6U/7ojsUfhjwn+poQh"
    "9jTFuugCKJO3TTgHlmtyIZwYohU966bL3fVAuAa5o98+f0SBihd5yvvO2EUPqVMmt+t0Ns"
    "aEPU6A5BTawnWQIUD9io5zXvCCE6wfqcqxb7FuX0XCItf2fqe6LdFUQa3lSv+GNO0UF5Tk"
    "uAb9V4lH9WXkMgy5eJOsbIFlkcA9zkGGmeJlQJSFXE2FyheEyJikKJUSQ2n+Y1KWN1xrue"
    "/k/O6jJConTPpsKMyiUMShTnYI+v2Kxsm8fa4Ez3zlQULqEqN/fT23VQzh1tmgwzjh+Qnw"
    "6e/I2VX/oju4FG28hqc14603fjd72evyutfxKOlszoVe3trun3V6opEjY/K2/pV28/nqC5"
    "s6qtlT+nRHOGfo/sZ7QUufcukpKQrmsjNsvvIInc0QkX1H2ZHIURoVjFw8GNmmriWrLJtt"
    "QAspmoB3CW4y/lfsOaC9l5TtWumvIaEu0Wtj2VJft40ofgevQv9Aoa+cZpTd+GW7cWh3KD"
    "jpMcIGznlN5ljiIpOeZN84V3SKI2Rqgis9wcr1rWm8O4/rm4oOVNGB9UJXnKUUAzZKouyZ"
    "EkgZW7ZNWnC5JqgUsOrMf1dn/iqSdRuRrCmuuwFUh8E49WIMeUGN7jQZScNljHcTwEaGai"
    "i28f2mcE72EPbQO2NzacXyLuy6sIut5hZL4bbaZWqJbS6/KU00Fihu6Tk+TdmTg/FCuOYv"
    "x/L8jGKOSsAlDjZZ25h7ODG1V/w9GiUP1TY49B15w8thImKAuenaab+rsTuZIOvtPvgyxc"
    "KHy4v5HI32wLWnL978t8f6LT2d7kjE1WlCrTE2uD/UAlDulQQ88qgXE52Iu9psjvyXEvEO"
    "vkOVvTJ2Ier55k1YMljha4xxKj+mHfkxKUPud2Dni/GWohOdIlaTXenJXitngEoYsM7ZZ1"
    "QCKWr2SxAqu5+yqn4HVtUmYrra+heVhF9v/mtgRuu9tP0vwRurZ6qqK7aZtiopqsp23bR4"
    "tWAG5LaXyPystLr4/daoKSjir7hdIwie8qKyUsFowR1GI8/68cQND9yUAk0Ra0VYf1sa37"
    "bVe70cyaWMF2UaL1Rlwe3mBGBaJ/tACnnrR0ia4DxetrO+quWoajnWmGE8obGNZYGx2RBH"
    "SBTI+TK1uNjGBHk4FUA6Sdc8uLcS3DO3sI40JiIWK1GaIGse2JtnzzqcQ90vLJVTUo6SlG"
    "eQOvyh0gJzRIB7vNei9pQ1AsNXDVEe4u8P6gI5nSPC7qdNqWsVypudInxV8uyKsY4VEG4l"
    "d7aKSste8PWMbMgTlcZn5O+CClSUpsRkArfDs1Yp2/TxYY5t+vgwc5vml+LflmBQGnrmKU"
    "/l/nTZTE5GW36RgNZPE5fowslp7GLTwcTe57f9eVtTUjb7m2HCPhKHS6Dspyut/Z6548uJ"
    "y9vrP9Rlq+ffGTQe+bmHZsBFIYwlpOUhfFwXhD3fX+Jw6dNcYyln0pcouR7VBGvPoXQNkN"
    "OE5aFbl4VsQtvReGYfLuEXhziLXAVgSdxaXIshwgMHiggmcapqiCT8fo0RSbidhi9etvHp"
    "3IW8yPKX0qq1n177/gNqJiT3LixmsJTRlqgQIVKOPvQ+n4l4hYU4dUpqmvQJGRq18D0upg"
    "5JSBXr2TjrUWkusr+NehqDJI7wqTQXrs2E0kJuNxEKtbm86NvK0UqDW9gv8NYfpl7Y5nUI"
    "jCypoq6AkQ0GewUdsYNlQm2R6NU2bnsjLWrIrDLjVmO78RxrDn1Ar43zbc/xkA/TnLWZTJ"
    "rIBelNRESfRYZq6qrKSv9cBKemZZeQJpVCxNkAmxJQdb3BGsupcFi1/JVwdaU13puImbxQ"
    "4PrIycoUNhG3ZI2Z9RFrZhBSSqFXuUIKADZDszGTAKZ4/krAbhw4mVwuR2sqXmG2kvWhav"
    "SCCvL+vBaj/AmSagPTNiPEkp+fJExM8oVmx4rZvLOW4A4vR4z1MHng9XK58gwc6uXQCaK6"
    "nClagCdqPQBMTgEkgD6xiV1W4RKlwSyaCO4ajdKxYlu7izQnTmAticRUqvK9u4wd47MnPx"
    "55ufxMQFvlOLJW+/yy2z8B0JhhckcG3Jx6O2j3hyeRdX5HWOvFxQkQX2ryE8kV4bD5GjHK"
    "dbNh1npViHbX58Lln4U0EdHKHIZUDdyNnYao7BONzT6RmfQzR6bPItk922A+XdiYFyX2kj"
    "zEEz54Q41Gb0/ZH14tX7/aL08XMRrNLUwt7CxYg8HLDgN7Bi1ew9hm643XoZMlnSjhjmsV"
    "EQ5KByvNQmWlKAvc7Qfk8viEwuVY40RKpMkIZyiOa4xI4dqMUrcTCwVPktvecDHodNhgjP"
    "KOXJ2d3V53ef1ZquvuHPMqtYPOTWcgatJ6h1G87bbf/q3d7bU/9RipS+AjxGYgDuzeEsFU"
    "XCxinp8lEqhJYZa3cowsMWsTTldbnxIZtOdXt2z6wPWgc9a96frum0vTgrgoZJFlHtVBp9"
    "3LQloS+58HaVn8v0JahrQ9hcWyhiwJSmQ/FnVJ0Trba0ooW8hioeyX36H9MlTsJEeWq+sP"
    "RwlV6eEC6bcDzbmAuBolUVGKKt+2qgxXAaBLs2/u3h+umsKmcodT3kv1915a4iU7ZIhgue"
    "KcITpx+QqJ8eTSwtAv6iEBXjZrWQMscQ4QDD4avd0Dywn1aoL5yb+AyI+TPmLY6p2k/krL"
    "jPpc3RAgcZUjXcQrxZNFf3XiUOqJQzBHaWUzI9QbShOuxlTM+nIdqemEqYiSCshp0Hpsqz"
    "OHmSp6QJSFXE0V8xcU8Zi2LdW0Q4PIx6Q9ZI2ckyrHpDpRSJwoXHf6593+LyeAbV8Gw1p2"
    "xlCNUwNl/8uGvrn2P2U62SbDU6XKlDlq58rr3nrmKFWnbBt1ypSRr9rGGOHJLDHEBB7O2U"
    "YY7iSc39eT9aUEPE0p4O6SNsCEx3KJuuU8pIW1GknziLjBaCQtH/bq8VSJsGqZRkou+VMx"
    "cLdfjGYObfuJMm4xhfa0CM4pwga6v24FceVevF18VWCoCgytyFR9r4aVlJqaR9rfQeK3qi"
    "2DvKmAogV8X6UU5Vfy66ITqbQ21dEh28jC+rQl0SL9K3ur9EgY9nlJkcyGQalz1VLneKJJ"
    "6VlitvwbIamyWFYlEZh/VAUQ9rs3EN2txC+yOzpIZmbPzhMfISk/P/xu/A42lgm+gDC5+c"
    "3s2/8B7Cf69A=="
)
