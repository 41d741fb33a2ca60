-- Purchase orders: what the kitchen has ordered from a supplier, and the day it arrives.
-- Receiving one adds its lines to stock (as lots "PO-<id>"); while open, booking may count it
-- as coming in (see kitchen_rules).
CREATE TABLE purchase_orders (
    id          INTEGER PRIMARY KEY,
    supplier_id INTEGER NOT NULL REFERENCES suppliers (id),
    arrives_on  TEXT    NOT NULL CHECK (arrives_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'received', 'cancelled')),
    note        TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    created_by  INTEGER REFERENCES users (id),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    closed_at   TEXT
);
CREATE INDEX purchase_orders_by_status ON purchase_orders (status, arrives_on);

CREATE TABLE purchase_order_lines (
    purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders (id),
    ingredient_id     INTEGER NOT NULL REFERENCES ingredients (id),
    -- Base units (g, ml, piece).
    quantity          INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000000000),
    PRIMARY KEY (purchase_order_id, ingredient_id)
);

-- How booking treats the pantry. check_pantry = 1: an order whose batches the ingredients in
-- stock and on order (arriving before the bake day) can't cover, after what is booked already,
-- is refused with the ingredient named. Off by default: a bakery that doesn't keep its stock
-- up to date would otherwise refuse orders it can bake.
CREATE TABLE kitchen_rules (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    check_pantry INTEGER NOT NULL DEFAULT 0 CHECK (check_pantry IN (0, 1))
);
INSERT INTO kitchen_rules (id) VALUES (1);
