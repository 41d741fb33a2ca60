-- A phone order carries the key its form was opened with: a second "Take order" from the same
-- form (a double click, a retry after a timeout) finds the order already taken instead of
-- creating another one.
ALTER TABLE orders ADD COLUMN client_key TEXT;
CREATE UNIQUE INDEX orders_by_client_key ON orders (client_key) WHERE client_key IS NOT NULL;
