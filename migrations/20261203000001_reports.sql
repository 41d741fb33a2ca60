-- The owner's reports group a period's orders by day, district, weekday and product. These
-- covering indexes let each report read only index pages in `fulfil_on` order: on 500,000
-- orders a year's report no longer visits the table's rows (addresses, notes, tokens) at all.
-- orders_by_day (fulfil_on, status) is a prefix of the new index and goes.
DROP INDEX orders_by_day;
CREATE INDEX orders_for_reports ON orders (
    fulfil_on, status, fulfilment, district_id, customer_id,
    subtotal_cents, delivery_fee_cents, discount_cents, total_cents, created_at
);
-- A report's items are read by order: product, quantity and price from the index alone.
DROP INDEX order_items_by_order;
CREATE INDEX order_items_for_reports ON order_items (order_id, product_id, quantity, unit_price_cents);
