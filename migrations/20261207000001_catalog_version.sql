-- The storefront intake keeps the products and the districts in memory between orders
-- (`storefront::intake::known`), tagged with this number. Every change to either table gives
-- it a new random value in the change's own transaction, so whoever made the change (this
-- server, another process, a restored backup) the next order that reads the number sees that
-- its copy is out of date and reads both tables again.
CREATE TABLE catalog_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO catalog_version (id, n) VALUES (1, random());

CREATE TRIGGER catalog_products_insert AFTER INSERT ON products
BEGIN UPDATE catalog_version SET n = random(); END;
CREATE TRIGGER catalog_products_update AFTER UPDATE ON products
BEGIN UPDATE catalog_version SET n = random(); END;
CREATE TRIGGER catalog_products_delete AFTER DELETE ON products
BEGIN UPDATE catalog_version SET n = random(); END;
CREATE TRIGGER catalog_districts_insert AFTER INSERT ON districts
BEGIN UPDATE catalog_version SET n = random(); END;
CREATE TRIGGER catalog_districts_update AFTER UPDATE ON districts
BEGIN UPDATE catalog_version SET n = random(); END;
CREATE TRIGGER catalog_districts_delete AFTER DELETE ON districts
BEGIN UPDATE catalog_version SET n = random(); END;
