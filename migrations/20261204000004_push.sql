-- Web push to the owner's installed app (issue 15). A device an owner switched notifications
-- on for, and the server's own VAPID key (RFC 8292) by which push services know its messages.
-- Written only by src/alerts/push.rs; `alerts.push_status` and `alert_settings.push` by
-- src/alerts/store.rs.
CREATE TABLE push_subscriptions (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The browser's push service address for this device (unique per device and site).
    endpoint     TEXT    NOT NULL UNIQUE,
    -- The device's public key (P-256, uncompressed, base64url) and auth secret (base64url).
    p256dh       TEXT    NOT NULL,
    auth         TEXT    NOT NULL,
    -- What the owner sees in Settings to tell devices apart ("Chrome on Android").
    device       TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL,
    last_sent_at TEXT,
    last_error   TEXT
);
CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);

CREATE TABLE push_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    -- The P-256 private scalar, base64url. Made on first use; never leaves the server.
    private_key TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);

-- Each kind as a notification on the owner's devices (a device must also be switched on).
ALTER TABLE alert_settings ADD COLUMN push INTEGER NOT NULL DEFAULT 1 CHECK (push IN (0, 1));
-- NULL: nothing to push (kind off, or no device when raised); 'pending' until tried once.
ALTER TABLE alerts ADD COLUMN push_status TEXT CHECK (push_status IS NULL OR push_status IN ('pending', 'sent'));
CREATE INDEX alerts_pushes_due ON alerts (id) WHERE push_status = 'pending';
