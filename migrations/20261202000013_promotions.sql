-- Promotions: codes and automatic offers, their rules and limits, personal single-use codes,
-- and the ledger of uses. Owned by `promotions::store`; the order core records a use in the
-- transaction that creates the order.
CREATE TABLE promotions (
    id                 INTEGER PRIMARY KEY,
    name               TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    -- A shared code customers type (stored upper case); NULL for automatic promotions and
    -- for promotions used only through personal codes.
    code               TEXT    CHECK (code IS NULL OR length(code) BETWEEN 3 AND 32),
    automatic          INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1)),
    kind               TEXT    NOT NULL CHECK (kind IN ('percent', 'amount', 'free_delivery', 'free_item', 'buy_get')),
    percent            INTEGER CHECK (percent IS NULL OR percent BETWEEN 1 AND 100),
    amount_cents       INTEGER CHECK (amount_cents IS NULL OR amount_cents > 0),
    -- free_item: the product given; buy_get: the product bought and given.
    product_id         INTEGER REFERENCES products (id),
    buy_qty            INTEGER CHECK (buy_qty IS NULL OR buy_qty >= 1),
    get_qty            INTEGER CHECK (get_qty IS NULL OR get_qty >= 1),
    starts_on          TEXT,
    ends_on            TEXT,
    -- Delivery/pickup weekdays, Monday = 1.
    weekdays           INTEGER NOT NULL DEFAULT 127 CHECK (weekdays BETWEEN 1 AND 127),
    min_order_cents    INTEGER NOT NULL DEFAULT 0 CHECK (min_order_cents >= 0),
    total_limit        INTEGER CHECK (total_limit IS NULL OR total_limit >= 1),
    per_customer_limit INTEGER CHECK (per_customer_limit IS NULL OR per_customer_limit >= 1),
    first_order_only   INTEGER NOT NULL DEFAULT 0 CHECK (first_order_only IN (0, 1)),
    -- The share of a segment held back (no code) to measure the promotion against.
    holdout_percent    INTEGER NOT NULL DEFAULT 0 CHECK (holdout_percent BETWEEN 0 AND 50),
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_by         INTEGER REFERENCES users (id),
    created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (kind <> 'percent' OR percent IS NOT NULL),
    CHECK (kind <> 'amount' OR amount_cents IS NOT NULL),
    CHECK (kind NOT IN ('free_item', 'buy_get') OR product_id IS NOT NULL),
    CHECK (kind <> 'buy_get' OR (buy_qty IS NOT NULL AND get_qty IS NOT NULL)),
    CHECK (NOT (automatic = 1 AND code IS NOT NULL))
);
CREATE UNIQUE INDEX promotions_by_code ON promotions (code) WHERE code IS NOT NULL;

CREATE TABLE promotion_products (
    promotion_id INTEGER NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    product_id   INTEGER NOT NULL REFERENCES products (id),
    PRIMARY KEY (promotion_id, product_id)
);

CREATE TABLE promotion_districts (
    promotion_id INTEGER NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    district_id  INTEGER NOT NULL REFERENCES districts (id) ON DELETE CASCADE,
    PRIMARY KEY (promotion_id, district_id)
);

-- Personal single-use codes, generated for the customers of a segment; held-back customers
-- get a row without a code (the comparison group).
CREATE TABLE promotion_codes (
    id           INTEGER PRIMARY KEY,
    promotion_id INTEGER NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    code         TEXT,
    held_out     INTEGER NOT NULL DEFAULT 0 CHECK (held_out IN (0, 1)),
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((held_out = 1) = (code IS NULL)),
    CONSTRAINT promotion_codes_one_per_customer UNIQUE (promotion_id, customer_id)
);
CREATE UNIQUE INDEX promotion_codes_by_code ON promotion_codes (code) WHERE code IS NOT NULL;

-- One row per promotion used on an order. A cancelled order's use stops counting (the
-- limits read the order's status), so the ledger itself is never rewritten.
CREATE TABLE promotion_uses (
    id             INTEGER PRIMARY KEY,
    promotion_id   INTEGER NOT NULL REFERENCES promotions (id),
    order_id       INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    code           TEXT,
    items_cents    INTEGER NOT NULL CHECK (items_cents >= 0),
    delivery_cents INTEGER NOT NULL CHECK (delivery_cents >= 0),
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CONSTRAINT promotion_uses_once_per_order UNIQUE (promotion_id, order_id)
);
CREATE INDEX promotion_uses_by_promotion ON promotion_uses (promotion_id, customer_id);
CREATE INDEX promotion_uses_by_order ON promotion_uses (order_id);

ALTER TABLE orders ADD COLUMN discount_cents INTEGER NOT NULL DEFAULT 0 CHECK (discount_cents >= 0);
ALTER TABLE orders ADD COLUMN promo_code TEXT;
