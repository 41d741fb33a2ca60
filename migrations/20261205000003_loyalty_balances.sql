-- Each customer's points as their ledger's replay last left them, kept by the ledger's one
-- writer (`loyalty::store`) after every line it writes: `points` can be used on every day from
-- `as_of` until the day before `good_until` (when a lot with points left lapses; NULL: until
-- the next line). Segments and reports read these rows instead of replaying every customer's
-- ledger; a customer whose row is missing or out of date is replayed as before, and the
-- hourly worker writes their row again.
CREATE TABLE loyalty_balances (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    points      INTEGER NOT NULL,
    as_of       TEXT    NOT NULL,
    good_until  TEXT,
    CHECK (good_until IS NULL OR good_until > as_of)
);
