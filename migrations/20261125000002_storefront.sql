-- Storefront API: bearer keys (only a hash is stored) and idempotency records for POST /orders.

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    -- The first characters of the key, shown so the owner can tell keys apart.
    prefix       TEXT    NOT NULL,
    -- SHA-256 (hex) of the whole key.
    key_hash     TEXT    NOT NULL,
    created_by   INTEGER REFERENCES users (id),
    last_used_at TEXT,
    revoked_at   TEXT,
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CONSTRAINT api_keys_hash_unique UNIQUE (key_hash)
);

-- One row per (key, Idempotency-Key): 'pending' while the first request runs, then 'done'
-- with the response to replay. Written in the same transaction as the order it created.
CREATE TABLE idempotency_keys (
    api_key_id      INTEGER NOT NULL REFERENCES api_keys (id),
    idem_key        TEXT    NOT NULL,
    request_hash    TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'done')),
    response_status INTEGER,
    response_body   TEXT,
    order_id        INTEGER REFERENCES orders (id),
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (api_key_id, idem_key)
);

CREATE INDEX orders_by_product_day ON order_items (product_id);
