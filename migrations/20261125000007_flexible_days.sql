-- Customers who accept a range of delivery days: "Suggest a plan" may move their order to
-- another day in the range (fulfil_on stays inside it).
ALTER TABLE orders ADD COLUMN flex_from TEXT;
ALTER TABLE orders ADD COLUMN flex_to TEXT;
