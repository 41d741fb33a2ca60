-- Proof-of-delivery photos, resized on the driver's phone before upload; only owner and staff
-- can see them (GET /photos/{order_id}).
CREATE TABLE delivery_photos (
    order_id     INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    content_type TEXT    NOT NULL CHECK (content_type = 'image/jpeg'),
    bytes        BLOB    NOT NULL,
    width        INTEGER NOT NULL CHECK (width > 0),
    height       INTEGER NOT NULL CHECK (height > 0),
    taken_by     INTEGER REFERENCES users (id),
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- One-time sign-in links the owner sends a driver. Only the SHA-256 of the token is stored;
-- a link works once, before it expires, for an active driver account.
CREATE TABLE sign_in_links (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at TEXT    NOT NULL,
    used_at    TEXT
);
