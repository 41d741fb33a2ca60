-- The kitchen: suppliers, ingredients, stock as a ledger of moves per lot, recipes and the
-- batches baked. Quantities are integers in each unit's base (g, ml, piece): a kilo is 1000.

CREATE TABLE suppliers (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 80),
    email      TEXT    NOT NULL DEFAULT '' CHECK (length(email) <= 200),
    phone      TEXT    NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
    -- Days between ordering and delivery.
    lead_days  INTEGER NOT NULL DEFAULT 1 CHECK (lead_days BETWEEN 0 AND 60),
    CONSTRAINT suppliers_name_unique UNIQUE (name)
);

CREATE TABLE ingredients (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 80),
    -- The unit it is bought, priced and counted in; stored in that unit's base (kg and g in g).
    unit          TEXT    NOT NULL CHECK (unit IN ('g', 'kg', 'ml', 'l', 'piece')),
    -- Cost of one `unit`, in cents (tenths of a cent are kept: 0.9 €/kg is 90).
    cost_cents    REAL    NOT NULL DEFAULT 0 CHECK (cost_cents >= 0 AND cost_cents <= 1000000),
    supplier_id   INTEGER REFERENCES suppliers (id),
    -- Below this (base units) the ingredient is low.
    reorder_level INTEGER NOT NULL DEFAULT 0 CHECK (reorder_level >= 0),
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    CONSTRAINT ingredients_name_unique UNIQUE (name)
);

CREATE TABLE stock_lots (
    id            INTEGER PRIMARY KEY,
    ingredient_id INTEGER NOT NULL REFERENCES ingredients (id),
    code          TEXT    NOT NULL DEFAULT '' CHECK (length(code) <= 60),
    best_before   TEXT    CHECK (best_before IS NULL OR best_before GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    received_on   TEXT    NOT NULL
);
CREATE INDEX stock_lots_by_ingredient ON stock_lots (ingredient_id);

CREATE TABLE bake_batches (
    id         INTEGER PRIMARY KEY,
    bake_day   TEXT    NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id),
    batches    INTEGER NOT NULL CHECK (batches BETWEEN 1 AND 1000),
    units      INTEGER NOT NULL CHECK (units >= 1),
    user_id    INTEGER REFERENCES users (id),
    baked_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX bake_batches_by_day ON bake_batches (bake_day, product_id);

-- The ledger: every change of stock is a move of one lot; a lot's balance is the sum of its
-- moves. Moves are never changed or deleted, and no move may take a lot below zero.
CREATE TABLE stock_moves (
    id            INTEGER PRIMARY KEY,
    ingredient_id INTEGER NOT NULL REFERENCES ingredients (id),
    lot_id        INTEGER NOT NULL REFERENCES stock_lots (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('receipt', 'use', 'waste', 'count')),
    quantity      INTEGER NOT NULL CHECK (quantity <> 0),
    reason        TEXT    NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    batch_id      INTEGER REFERENCES bake_batches (id),
    user_id       INTEGER REFERENCES users (id),
    at            TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (kind <> 'receipt' OR quantity > 0),
    CHECK (kind NOT IN ('use', 'waste') OR quantity < 0)
);
CREATE INDEX stock_moves_by_lot ON stock_moves (lot_id);
CREATE INDEX stock_moves_by_ingredient ON stock_moves (ingredient_id, id);

CREATE TRIGGER stock_moves_keep_positive AFTER INSERT ON stock_moves
WHEN (SELECT SUM(quantity) FROM stock_moves WHERE lot_id = NEW.lot_id) < 0
BEGIN
    SELECT RAISE(ABORT, 'stock would go below zero');
END;
CREATE TRIGGER stock_moves_no_update BEFORE UPDATE ON stock_moves
BEGIN
    SELECT RAISE(ABORT, 'stock moves are a ledger: add a correction instead');
END;
CREATE TRIGGER stock_moves_no_delete BEFORE DELETE ON stock_moves
BEGIN
    SELECT RAISE(ABORT, 'stock moves are a ledger: add a correction instead');
END;

-- One recipe per product: what a batch takes and makes, and where it is baked.
CREATE TABLE recipes (
    product_id   INTEGER PRIMARY KEY REFERENCES products (id),
    batch_yield  INTEGER NOT NULL CHECK (batch_yield BETWEEN 1 AND 10000),
    prep_minutes INTEGER NOT NULL DEFAULT 0 CHECK (prep_minutes BETWEEN 0 AND 1440),
    bake_minutes INTEGER NOT NULL DEFAULT 0 CHECK (bake_minutes BETWEEN 0 AND 1440),
    station      TEXT    NOT NULL DEFAULT 'Oven' CHECK (length(station) BETWEEN 1 AND 40)
);

CREATE TABLE recipe_lines (
    product_id    INTEGER NOT NULL REFERENCES recipes (product_id) ON DELETE CASCADE,
    ingredient_id INTEGER NOT NULL REFERENCES ingredients (id),
    -- Base units per batch.
    quantity      INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100000000),
    PRIMARY KEY (product_id, ingredient_id)
);
