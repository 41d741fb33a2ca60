-- Outgoing notifications: written in the same transaction as the order change they announce,
-- delivered by a background worker with retries (so a crash or an unreachable receiver loses
-- nothing, and a change that rolled back is never announced).
CREATE TABLE webhook_outbox (
    id              INTEGER PRIMARY KEY,
    event           TEXT    NOT NULL,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    payload         TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    delivered_at    TEXT,
    failed_at       TEXT,
    last_error      TEXT,
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (delivered_at, failed_at, next_attempt_at);
