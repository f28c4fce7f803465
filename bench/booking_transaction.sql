-- What the booking engine sends PostgreSQL for one booking (BookingService.create), statement
-- for statement and in the same order: a guest who booked before, and the first table the engine
-- tries is free (the common case; no pacing cap, no generated timeslots). Replayed by
-- `python -m bench booking` as: pgbench -n -M prepared -f bench/booking_transaction.sql -D rid=...
-- (-D: rid, first_table, ntables, day0 epoch seconds, phone0). The bench prints
-- the engine's own statements next to these and checks that the two sequences agree.
--
-- Not replayed (a client-side difference, reported with the figures): asyncpg's reset query
-- ("SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;") that the engine's
-- connection pool sends each time it takes a connection back, the Python work between
-- statements, and the event published after commit.
--
-- Where the engine would try another table (its first is locked by another writer, or taken) the
-- script rolls back instead; the bench counts bookings from the rows written, not from tps.
\set table :first_table + random(0, :ntables - 1)
\set start :day0 + random(0, 999) * 86400 + 39600 + random(0, 39) * 900
\set hi :start + 7200
\set lo :start - 900
\set back :lo - 129600
\set phone :phone0 + :client_id
-- 1. On one pooled connection, no transaction: the fingerprint of the restaurant's and its tables'
--    rows (unchanged, so the engine reuses the restaurant and tables it loaded before; otherwise it
--    would read them, one query each), the window's allocations and the guest by phone (a returning
--    guest is found without a lock; a new one is created in a transaction of its own under a
--    per-phone advisory lock).
SELECT r.xmin::text || '/' || coalesce((SELECT md5(string_agg(t.id::text || '.' || t.xmin::text, ',' ORDER BY t.id)) FROM "tables" t WHERE t.restaurant_id = r.id), '') FROM "restaurants" r WHERE r.id = :rid;
SELECT a.table_id, a.reservation_id, a.starts_at, a.blocked_until, 0 FROM reservation_tables a WHERE a.restaurant_id = :rid AND a.active AND a.starts_at < to_timestamp(:hi) AND a.starts_at >= to_timestamp(:back) AND a.blocked_until > to_timestamp(:lo) AND a.reservation_id <> 0;
SELECT * FROM "guests" WHERE restaurant_id = :rid AND phone = '+' || :phone ORDER BY id LIMIT 1 \gset g_
-- 2. Placement: lock the table, then one statement re-checks that it is free (it starts after the
--    lock was granted, so it sees every allocation committed before) and writes the reservation
--    (with its timeslot, if generated), its allocation and its first history entry.
BEGIN;
\set id 0
SELECT * FROM "tables" WHERE restaurant_id = :rid AND id = ANY(ARRAY[:table]::int[]) ORDER BY id FOR NO KEY UPDATE SKIP LOCKED \aset
\if :id = 0
ROLLBACK;
\else
\set r_id 0
WITH r AS (INSERT INTO "reservations" (restaurant_id, guest_id, table_id, timeslot_id, date, time, duration, guests, status, comments, source, confirmation_1h, confirmation_2h, created_at, updated_at, starts_at, ends_at) SELECT :rid, :g_id, :table, (SELECT id FROM "timeslots" WHERE restaurant_id = :rid AND table_id = :table AND date = (to_timestamp(:start) AT TIME ZONE 'UTC')::date AND time = (to_timestamp(:start) AT TIME ZONE 'UTC')::time LIMIT 1), (to_timestamp(:start) AT TIME ZONE 'UTC')::date, (to_timestamp(:start) AT TIME ZONE 'UTC')::time, 120, 2, 'created', NULL, 'pgbench', false, false, now(), now(), to_timestamp(:start), to_timestamp(:hi) WHERE NOT EXISTS (SELECT 1 FROM "reservation_tables" WHERE restaurant_id = :rid AND table_id = ANY(ARRAY[:table]::int[]) AND active AND starts_at < to_timestamp(:hi) AND blocked_until > to_timestamp(:start)) RETURNING id, timeslot_id), a AS (INSERT INTO "reservation_tables" (reservation_id, table_id, restaurant_id, starts_at, blocked_until, active) SELECT r.id, t, :rid, to_timestamp(:start), to_timestamp(:hi), true FROM r, unnest(ARRAY[:table]::int[]) AS t RETURNING id, table_id), h AS (INSERT INTO "reservation_changes" (restaurant_id, reservation_id, type, changes, actor, source, created_at) SELECT :rid, r.id, 'reservation.created', NULL, 'staff', 'pgbench', now() FROM r) SELECT r.id AS r_id, r.timeslot_id, a.id AS a_id, a.table_id FROM r, a \aset
\if :r_id = 0
ROLLBACK;
\else
COMMIT;
\endif
\endif
