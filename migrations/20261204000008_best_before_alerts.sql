-- A new kind of alert (issue 13): a lot still in stock whose best-before is near. SQLite can't
-- change a CHECK in place, so both tables are rebuilt with their rows; the default for the
-- new kind is the bell and an email, like low stock.
CREATE TABLE alerts_new (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL CHECK (kind IN ('new_order', 'cancelled', 'failed', 'low_stock', 'best_before', 'nearly_full')),
    args           TEXT    NOT NULL DEFAULT '{}',
    order_id       INTEGER,
    link           TEXT    NOT NULL DEFAULT '',
    once_key       TEXT    UNIQUE,
    caused_by      INTEGER REFERENCES users (id),
    in_app         INTEGER NOT NULL DEFAULT 1 CHECK (in_app IN (0, 1)),
    email_status   TEXT    CHECK (email_status IS NULL OR email_status IN ('pending', 'sent', 'failed')),
    email_attempts INTEGER NOT NULL DEFAULT 0,
    email_next_at  TEXT,
    email_error    TEXT,
    created_at     TEXT    NOT NULL,
    push_status    TEXT    CHECK (push_status IS NULL OR push_status IN ('pending', 'sent'))
);
INSERT INTO alerts_new (id, kind, args, order_id, link, once_key, caused_by, in_app, email_status,
                        email_attempts, email_next_at, email_error, created_at, push_status)
    SELECT id, kind, args, order_id, link, once_key, caused_by, in_app, email_status,
           email_attempts, email_next_at, email_error, created_at, push_status FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;
CREATE INDEX alerts_by_order ON alerts (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX alerts_emails_due ON alerts (email_next_at) WHERE email_status = 'pending';
CREATE INDEX alerts_pushes_due ON alerts (id) WHERE push_status = 'pending';

CREATE TABLE alert_settings_new (
    kind   TEXT    PRIMARY KEY CHECK (kind IN ('new_order', 'cancelled', 'failed', 'low_stock', 'best_before', 'nearly_full')),
    in_app INTEGER NOT NULL CHECK (in_app IN (0, 1)),
    email  INTEGER NOT NULL CHECK (email IN (0, 1)),
    push   INTEGER NOT NULL DEFAULT 1 CHECK (push IN (0, 1))
);
INSERT INTO alert_settings_new (kind, in_app, email, push)
    SELECT kind, in_app, email, push FROM alert_settings;
INSERT INTO alert_settings_new (kind, in_app, email, push) VALUES ('best_before', 1, 1, 1);
DROP TABLE alert_settings;
ALTER TABLE alert_settings_new RENAME TO alert_settings;
