-- Standing orders (#18): a customer's recurring order (a weekly bread box, a café's
-- Tuesday-and-Friday order). Hearth creates each visit's order ahead through the order core;
-- the planner may choose, week by week, any of the weekday patterns the customer accepts.
CREATE TABLE standing_orders (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    fulfilment      TEXT NOT NULL CHECK (fulfilment IN ('delivery', 'pickup')),
    address         TEXT,
    lat             REAL,
    lng             REAL,
    -- Delivery window or pickup slot, local HH:MM.
    window_from     TEXT,
    window_to       TEXT,
    payment_method  TEXT NOT NULL CHECK (payment_method IN ('cod', 'prepaid', 'pay_at_pickup')),
    notes           TEXT,
    -- Visits a week, and the weekday patterns accepted: comma-separated masks (bit 0 = Monday),
    -- each with exactly visits_per_week days; the first is the one booked.
    visits_per_week INTEGER NOT NULL CHECK (visits_per_week BETWEEN 1 AND 7),
    patterns        TEXT NOT NULL CHECK (length(patterns) BETWEEN 1 AND 200),
    starts_on       TEXT NOT NULL,
    ends_on         TEXT,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'ended')),
    -- While paused: the first day it delivers again (NULL: until resumed).
    paused_until    TEXT,
    -- `storefront` (the API) or `staff` (the customer page).
    source          TEXT NOT NULL,
    -- The API's Idempotency-Key and a hash of the body it came with.
    api_key_id      INTEGER,
    client_key      TEXT,
    request_hash    TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT standing_orders_key UNIQUE (api_key_id, client_key)
);
CREATE INDEX standing_orders_customer ON standing_orders (customer_id);

CREATE TABLE standing_order_items (
    standing_order_id INTEGER NOT NULL REFERENCES standing_orders (id) ON DELETE CASCADE,
    product_id        INTEGER NOT NULL REFERENCES products (id),
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    note              TEXT,
    position          INTEGER NOT NULL,
    PRIMARY KEY (standing_order_id, position)
);

-- Dates the customer skips.
CREATE TABLE standing_order_skips (
    standing_order_id INTEGER NOT NULL REFERENCES standing_orders (id) ON DELETE CASCADE,
    day               TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    PRIMARY KEY (standing_order_id, day)
);

-- Each visit Hearth has tried to create: its order, or why the order core refused it (the
-- message names the date). One row per standing order and booked date, so a retry or a
-- second worker never creates a visit twice.
CREATE TABLE standing_order_visits (
    standing_order_id INTEGER NOT NULL REFERENCES standing_orders (id) ON DELETE CASCADE,
    day               TEXT NOT NULL,
    order_id          INTEGER REFERENCES orders (id),
    refusal           TEXT,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (standing_order_id, day)
);
CREATE INDEX standing_order_visits_order ON standing_order_visits (order_id);

ALTER TABLE orders ADD COLUMN standing_order_id INTEGER REFERENCES standing_orders (id);

-- Orders can be a standing order's visit: `source` widens as in 20261202000010.
ALTER TABLE orders ADD COLUMN source_new TEXT NOT NULL DEFAULT 'storefront'
    CHECK (source_new IN ('storefront', 'phone', 'demo', 'import', 'standing'));
UPDATE orders SET source_new = source;
ALTER TABLE orders DROP COLUMN source;
ALTER TABLE orders RENAME COLUMN source_new TO source;
