-- What each line was sold as: the product's name and VAT rate when the order was taken (or
-- its lines last changed), so that a receipt printed later says what was sold and the tax it
-- carried, whatever the menu says now. Written by the order core with every line.
ALTER TABLE order_items ADD COLUMN product_name TEXT;
ALTER TABLE order_items ADD COLUMN tax_rate_bp INTEGER
    CHECK (tax_rate_bp IS NULL OR tax_rate_bp BETWEEN 0 AND 10000);
UPDATE order_items
SET product_name = (SELECT p.name FROM products p WHERE p.id = order_items.product_id),
    tax_rate_bp = (SELECT p.tax_rate_bp FROM products p WHERE p.id = order_items.product_id);

-- The bakery's tax id (NIF, VAT number), printed on every receipt; NULL: none given.
ALTER TABLE business_settings ADD COLUMN tax_id TEXT
    CHECK (tax_id IS NULL OR length(tax_id) BETWEEN 1 AND 32);
