-- The owner's alerts (issue 15): one row per thing worth knowing, raised in the transaction of
-- the change that caused it (the order core, the stock writer) by `src/alerts/store.rs`, the
-- only writer of these tables. Shown in the bell of whoever did not cause it, and emailed to
-- the owners when the owner switched email on for that kind.
CREATE TABLE alerts (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL CHECK (kind IN ('new_order', 'cancelled', 'failed', 'low_stock', 'nearly_full')),
    -- The message's arguments (a JSON object of strings): worded in the reader's language.
    args           TEXT    NOT NULL DEFAULT '{}',
    -- The order it is about (no foreign key: an alert outlives nothing it names; an erased
    -- customer's orders take their alerts with them, see `forget_order`).
    order_id       INTEGER,
    -- Where the bell's entry leads ("/orders?order=12").
    link           TEXT    NOT NULL DEFAULT '',
    -- Set for alerts raised once per thing ("nearly_full:2026-12-04:3").
    once_key       TEXT    UNIQUE,
    caused_by      INTEGER REFERENCES users (id),
    in_app         INTEGER NOT NULL DEFAULT 1 CHECK (in_app IN (0, 1)),
    -- NULL: no email wanted; else pending until sent to the owners, or failed.
    email_status   TEXT    CHECK (email_status IS NULL OR email_status IN ('pending', 'sent', 'failed')),
    email_attempts INTEGER NOT NULL DEFAULT 0,
    email_next_at  TEXT,
    email_error    TEXT,
    created_at     TEXT    NOT NULL
);
CREATE INDEX alerts_by_order ON alerts (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX alerts_emails_due ON alerts (email_next_at) WHERE email_status = 'pending';

-- What the owner wants of each kind: in the bell, by email.
CREATE TABLE alert_settings (
    kind   TEXT    PRIMARY KEY CHECK (kind IN ('new_order', 'cancelled', 'failed', 'low_stock', 'nearly_full')),
    in_app INTEGER NOT NULL CHECK (in_app IN (0, 1)),
    email  INTEGER NOT NULL CHECK (email IN (0, 1))
);
INSERT INTO alert_settings (kind, in_app, email) VALUES
    ('new_order', 1, 0),
    ('cancelled', 1, 1),
    ('failed', 1, 1),
    ('low_stock', 1, 1),
    ('nearly_full', 1, 0);

-- How far each person has read their bell.
CREATE TABLE alert_reads (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    seen_up_to INTEGER NOT NULL DEFAULT 0
);
