-- The storefront intake also keeps the ids of the automatic promotions running with its copy of
-- the products and districts (`storefront::intake::known`): a change to the promotions gives
-- `catalog_version` a new number, as a change to products or districts does. What each
-- promotion offers and how much it has been used are still read inside the order's write
-- transaction.
CREATE TRIGGER catalog_promotions_insert AFTER INSERT ON promotions
BEGIN UPDATE catalog_version SET n = random(); END;
CREATE TRIGGER catalog_promotions_update AFTER UPDATE ON promotions
BEGIN UPDATE catalog_version SET n = random(); END;
CREATE TRIGGER catalog_promotions_delete AFTER DELETE ON promotions
BEGIN UPDATE catalog_version SET n = random(); END;
