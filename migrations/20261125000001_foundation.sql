-- Hearth foundation: accounts, sign-in audit, districts, customers, products, orders.
-- Timestamps are UTC text '%Y-%m-%dT%H:%M:%fZ'; money is integer cents; a delivery date is the
-- business's local calendar date 'YYYY-MM-DD'.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL COLLATE NOCASE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('owner', 'staff', 'driver')),
    password_hash TEXT    NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Bumped when a user is disabled, re-roled or changes password: older sessions stop working.
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CONSTRAINT users_email_unique UNIQUE (email)
);

-- Every sign-in attempt: the audit trail and the input of the throttle.
CREATE TABLE login_attempts (
    id         INTEGER PRIMARY KEY,
    email      TEXT    NOT NULL COLLATE NOCASE,
    ip         TEXT    NOT NULL,
    success    INTEGER NOT NULL CHECK (success IN (0, 1)),
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX login_attempts_by_email ON login_attempts (email, created_at);
CREATE INDEX login_attempts_by_ip ON login_attempts (ip, created_at);

CREATE TABLE districts (
    id                 INTEGER PRIMARY KEY,
    name               TEXT    NOT NULL,
    colour             TEXT    NOT NULL,
    -- GeoJSON Polygon geometry, positions [lng, lat].
    boundary           TEXT    NOT NULL,
    -- Bit 0 = Monday ... bit 6 = Sunday.
    served_weekdays    INTEGER NOT NULL DEFAULT 0 CHECK (served_weekdays BETWEEN 0 AND 127),
    delivery_fee_cents INTEGER NOT NULL DEFAULT 0 CHECK (delivery_fee_cents >= 0),
    min_order_cents    INTEGER NOT NULL DEFAULT 0 CHECK (min_order_cents >= 0),
    capacity_per_day   INTEGER NOT NULL DEFAULT 20 CHECK (capacity_per_day >= 0),
    created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CONSTRAINT districts_name_unique UNIQUE (name)
);

CREATE TABLE customers (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    -- E.164, e.g. +34600123456.
    phone            TEXT    NOT NULL,
    email            TEXT,
    address          TEXT,
    lat              REAL,
    lng              REAL,
    district_id      INTEGER REFERENCES districts (id),
    marketing_opt_in INTEGER NOT NULL DEFAULT 0 CHECK (marketing_opt_in IN (0, 1)),
    notes            TEXT,
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CONSTRAINT customers_phone_unique UNIQUE (phone)
);

CREATE TABLE products (
    id             INTEGER PRIMARY KEY,
    sku            TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    category       TEXT    NOT NULL CHECK (category IN ('bread', 'pastry', 'cake')),
    price_cents    INTEGER NOT NULL CHECK (price_cents >= 0),
    -- Units the kitchen can make per day.
    daily_capacity INTEGER NOT NULL CHECK (daily_capacity >= 0),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CONSTRAINT products_sku_unique UNIQUE (sku)
);

CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY,
    number             INTEGER NOT NULL,
    -- >= 128 random bits, for the public tracker; never the id.
    tracking_token     TEXT    NOT NULL,
    customer_id        INTEGER NOT NULL REFERENCES customers (id),
    status             TEXT    NOT NULL CHECK (status IN ('received', 'confirmed', 'baking', 'ready',
                                   'out_for_delivery', 'delivered', 'collected', 'cancelled')),
    fulfilment         TEXT    NOT NULL CHECK (fulfilment IN ('delivery', 'pickup')),
    fulfil_on          TEXT    NOT NULL,
    window_from        TEXT,
    window_to          TEXT,
    address            TEXT,
    lat                REAL,
    lng                REAL,
    district_id        INTEGER REFERENCES districts (id),
    payment_method     TEXT    NOT NULL CHECK (payment_method IN ('cod', 'prepaid', 'pay_at_pickup')),
    paid               INTEGER NOT NULL DEFAULT 0 CHECK (paid IN (0, 1)),
    subtotal_cents     INTEGER NOT NULL CHECK (subtotal_cents >= 0),
    delivery_fee_cents INTEGER NOT NULL DEFAULT 0 CHECK (delivery_fee_cents >= 0),
    total_cents        INTEGER NOT NULL CHECK (total_cents >= 0),
    notes              TEXT,
    source             TEXT    NOT NULL DEFAULT 'storefront' CHECK (source IN ('storefront', 'phone', 'demo')),
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CONSTRAINT orders_number_unique UNIQUE (number),
    CONSTRAINT orders_tracking_token_unique UNIQUE (tracking_token)
);
CREATE INDEX orders_by_day ON orders (fulfil_on, status);
CREATE INDEX orders_by_customer ON orders (customer_id);

CREATE TABLE order_items (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       INTEGER NOT NULL REFERENCES products (id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    note             TEXT
);
CREATE INDEX order_items_by_order ON order_items (order_id);

-- Who changed what and when.
CREATE TABLE order_events (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    actor_user_id INTEGER REFERENCES users (id),
    kind          TEXT    NOT NULL,
    from_status   TEXT,
    to_status     TEXT,
    detail        TEXT,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX order_events_by_order ON order_events (order_id, created_at);
