-- Customer records: consent per channel as a ledger (who gave or withdrew it, when and how),
-- the current state on the customer for fast segment queries (written only with a ledger row),
-- preferences, allergies and tags, a token for the public unsubscribe link, and saved segments.
CREATE TABLE consents (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    channel     TEXT    NOT NULL CHECK (channel IN ('email', 'sms', 'whatsapp')),
    granted     INTEGER NOT NULL CHECK (granted IN (0, 1)),
    -- How: "Website checkout", "By phone (Pablo Ortega)", "Unsubscribe link", "Spreadsheet import".
    source      TEXT    NOT NULL CHECK (length(source) BETWEEN 1 AND 120),
    user_id     INTEGER REFERENCES users (id),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX consents_by_customer ON consents (customer_id, id);

ALTER TABLE customers ADD COLUMN email_ok INTEGER NOT NULL DEFAULT 0 CHECK (email_ok IN (0, 1));
ALTER TABLE customers ADD COLUMN sms_ok INTEGER NOT NULL DEFAULT 0 CHECK (sms_ok IN (0, 1));
ALTER TABLE customers ADD COLUMN whatsapp_ok INTEGER NOT NULL DEFAULT 0 CHECK (whatsapp_ok IN (0, 1));
ALTER TABLE customers ADD COLUMN preferences TEXT;
ALTER TABLE customers ADD COLUMN allergies TEXT;
ALTER TABLE customers ADD COLUMN unsubscribe_token TEXT;
CREATE UNIQUE INDEX customers_by_unsubscribe_token ON customers (unsubscribe_token) WHERE unsubscribe_token IS NOT NULL;
CREATE INDEX customers_by_email ON customers (email) WHERE email IS NOT NULL;

-- The opt-in customers gave before consent was per channel was for email.
INSERT INTO consents (customer_id, channel, granted, source, created_at)
SELECT id, 'email', 1, 'Website checkout (before consent per channel)', updated_at FROM customers WHERE marketing_opt_in = 1;
UPDATE customers SET email_ok = 1 WHERE marketing_opt_in = 1;

CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    tag         TEXT    NOT NULL COLLATE NOCASE CHECK (length(tag) BETWEEN 1 AND 40),
    PRIMARY KEY (customer_id, tag)
);
CREATE INDEX customer_tags_by_tag ON customer_tags (tag);

CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 80),
    -- The rules as JSON (customers::segments::Rules).
    rules      TEXT    NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CONSTRAINT segments_name_unique UNIQUE (name)
);
