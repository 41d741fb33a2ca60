-- Baked goods past their shelf life are a reason of their own ("expired"), as the kitchen
-- issue lists it. SQLite can't change a CHECK in place: the table is rebuilt with its rows.
CREATE TABLE product_waste_new (
    id         INTEGER PRIMARY KEY,
    bake_day   TEXT    NOT NULL CHECK (bake_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    product_id INTEGER NOT NULL REFERENCES products (id),
    units      INTEGER NOT NULL CHECK (units BETWEEN 1 AND 100000),
    reason     TEXT    NOT NULL CHECK (reason IN ('unsold', 'expired', 'burnt', 'damaged', 'other')),
    note       TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    user_id    INTEGER REFERENCES users (id),
    at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO product_waste_new (id, bake_day, product_id, units, reason, note, user_id, at)
    SELECT id, bake_day, product_id, units, reason, note, user_id, at FROM product_waste;
DROP TABLE product_waste;
ALTER TABLE product_waste_new RENAME TO product_waste;
CREATE INDEX product_waste_by_day ON product_waste (bake_day, product_id);
