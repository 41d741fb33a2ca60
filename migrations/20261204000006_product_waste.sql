-- What the kitchen baked and threw away (unsold at the end of the day, burnt, damaged), per
-- bake day and product, so waste reads against what was baked. Ingredient waste stays in the
-- stock ledger.
CREATE TABLE product_waste (
    id         INTEGER PRIMARY KEY,
    bake_day   TEXT    NOT NULL CHECK (bake_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    product_id INTEGER NOT NULL REFERENCES products (id),
    units      INTEGER NOT NULL CHECK (units BETWEEN 1 AND 100000),
    reason     TEXT    NOT NULL CHECK (reason IN ('unsold', 'burnt', 'damaged', 'other')),
    note       TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    user_id    INTEGER REFERENCES users (id),
    at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX product_waste_by_day ON product_waste (bake_day, product_id);
