-- Customers' status emails: written in the same transaction as the change they announce (when
-- the customer gave an email address), sent by a worker through HEARTH_SMTP_URL with retries.
-- The text is composed when sending, so it carries the current tracking link.
CREATE TABLE email_outbox (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    event           TEXT    NOT NULL,
    to_addr         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    sent_at         TEXT,
    failed_at       TEXT,
    last_error      TEXT,
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX email_outbox_due ON email_outbox (sent_at, failed_at, next_attempt_at);
