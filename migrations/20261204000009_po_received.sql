-- What came of each purchase-order line (base units), set when the order is received: a
-- delivery may come short or with more; NULL until then (and for cancelled orders).
ALTER TABLE purchase_order_lines ADD COLUMN received INTEGER CHECK (received IS NULL OR received BETWEEN 0 AND 1000000000);
