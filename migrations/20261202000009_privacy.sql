-- GDPR: a customer's personal data can be erased (the row stays, anonymous, so the accounts
-- keep their orders); customers with no order for N months are anonymised (NULL: never);
-- requests the website passes on wait here for the owner.
ALTER TABLE customers ADD COLUMN erased_at TEXT;
ALTER TABLE business_settings ADD COLUMN customer_retention_months INTEGER
    CHECK (customer_retention_months IS NULL OR customer_retention_months BETWEEN 6 AND 120);

CREATE TABLE privacy_requests (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('export', 'erase')),
    phone       TEXT    NOT NULL,
    email       TEXT,
    note        TEXT,
    customer_id INTEGER REFERENCES customers (id),
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'refused')),
    api_key_id  INTEGER,
    created_at  TEXT    NOT NULL,
    done_at     TEXT
);
CREATE INDEX privacy_requests_open ON privacy_requests (status, created_at);
