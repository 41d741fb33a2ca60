-- The owner's menu and opening hours (#20). Products get the owner's own categories (the
-- bread/pastry/cake CHECK goes), an order on the menu, allergens, dietary tags, tax, the
-- weekdays each is baked, notice and quantity limits.
-- Booking rules move out of the code into settings: horizon, cut-off, pickup hours with a
-- break, closed dates.
-- The category column is replaced (SQLite can drop a column whose only constraint is its own
-- CHECK, inside the migration's transaction; rebuilding the table would need foreign keys off,
-- which a transaction can't do). Existing categories get names.
ALTER TABLE products ADD COLUMN menu_category TEXT NOT NULL DEFAULT 'Menu'
    CHECK (length(menu_category) BETWEEN 1 AND 40);
UPDATE products SET menu_category =
    CASE category WHEN 'bread' THEN 'Breads' WHEN 'pastry' THEN 'Pastries' ELSE 'Cakes' END;
ALTER TABLE products DROP COLUMN category;
ALTER TABLE products RENAME COLUMN menu_category TO category;

-- Position on the menu (ascending): breads, pastries, cakes, each by name, as before.
ALTER TABLE products ADD COLUMN sort_order INTEGER NOT NULL DEFAULT 0;
UPDATE products SET sort_order = (
    SELECT n FROM (
        SELECT id, ROW_NUMBER() OVER (
            ORDER BY CASE category WHEN 'Breads' THEN 0 WHEN 'Pastries' THEN 1 ELSE 2 END, name) AS n
        FROM products) r
    WHERE r.id = products.id);
-- VAT/sales tax included in the price, in basis points (1000 = 10 %); NULL: none shown.
ALTER TABLE products ADD COLUMN tax_rate_bp INTEGER
    CHECK (tax_rate_bp IS NULL OR tax_rate_bp BETWEEN 0 AND 10000);
-- Comma-separated codes of the EU's 14 allergens (see menu::model::ALLERGENS).
ALTER TABLE products ADD COLUMN allergens TEXT NOT NULL DEFAULT '';
-- Comma-separated dietary tags (see menu::model::DIETARY).
ALTER TABLE products ADD COLUMN dietary TEXT NOT NULL DEFAULT '';
-- Bit 0 = Monday ... bit 6 = Sunday: the days it is baked.
ALTER TABLE products ADD COLUMN offered_weekdays INTEGER NOT NULL DEFAULT 127
    CHECK (offered_weekdays BETWEEN 1 AND 127);
-- Days of notice, e.g. 2 for a cake ordered on Monday for Wednesday at the earliest.
ALTER TABLE products ADD COLUMN lead_days INTEGER NOT NULL DEFAULT 0
    CHECK (lead_days BETWEEN 0 AND 60);
ALTER TABLE products ADD COLUMN min_quantity INTEGER NOT NULL DEFAULT 1
    CHECK (min_quantity BETWEEN 1 AND 99);
ALTER TABLE products ADD COLUMN max_quantity INTEGER NOT NULL DEFAULT 99
    CHECK (max_quantity BETWEEN min_quantity AND 99);
CREATE INDEX products_on_menu ON products (active, sort_order);

ALTER TABLE business_settings ADD COLUMN booking_horizon_days INTEGER NOT NULL DEFAULT 14
    CHECK (booking_horizon_days BETWEEN 1 AND 90);
-- 'HH:MM': orders for a day close at this time the day before. NULL: same-day orders.
ALTER TABLE business_settings ADD COLUMN order_cutoff TEXT;

-- The counter's pickup hours per weekday (0 = Monday); no row: no pickups that day.
CREATE TABLE pickup_hours (
    weekday    INTEGER PRIMARY KEY CHECK (weekday BETWEEN 0 AND 6),
    opens      TEXT    NOT NULL,
    closes     TEXT    NOT NULL CHECK (closes > opens),
    break_from TEXT,
    break_to   TEXT,
    CHECK ((break_from IS NULL) = (break_to IS NULL)),
    CHECK (break_from IS NULL OR (opens < break_from AND break_from < break_to AND break_to < closes))
);
-- A bakery already taking orders kept the hours that were built in (Monday–Saturday 08–14).
INSERT INTO pickup_hours (weekday, opens, closes)
SELECT d.n, '08:00', '14:00'
FROM (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) d
WHERE EXISTS (SELECT 1 FROM products);

-- Days the bakery takes no orders at all (holidays).
CREATE TABLE closed_dates (
    day  TEXT PRIMARY KEY,
    note TEXT NOT NULL DEFAULT ''
);
