-- Two-factor sign-in (TOTP, RFC 6238): the shared secret (base32; NULL: off), and the last
-- 30-second step a code was accepted for, so each code works once.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- Ten single-use recovery codes per user, stored as SHA-256.
CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   TEXT,
    CONSTRAINT recovery_codes_unique UNIQUE (user_id, code_hash)
);

-- "Remember this device for 30 days": the cookie's token, stored as SHA-256.
CREATE TABLE trusted_devices (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);
CREATE INDEX trusted_devices_by_user ON trusted_devices (user_id);
