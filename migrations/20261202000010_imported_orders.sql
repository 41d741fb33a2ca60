-- Orders can come from a spreadsheet import too. The CHECK on `source` is widened by adding a
-- column, copying and renaming (sqlx runs migrations in a transaction, so no table rebuild).
ALTER TABLE orders ADD COLUMN source_new TEXT NOT NULL DEFAULT 'storefront'
    CHECK (source_new IN ('storefront', 'phone', 'demo', 'import'));
UPDATE orders SET source_new = source;
ALTER TABLE orders DROP COLUMN source;
ALTER TABLE orders RENAME COLUMN source_new TO source;
