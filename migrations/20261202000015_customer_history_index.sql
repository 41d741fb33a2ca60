-- A customer's orders in time order, carrying what segments and the promotion report read
-- (status, total, day), so that both are answered from the index: "has this customer ordered
-- before / since", and every customer's count, spend and last order, without reading the
-- orders table. It replaces the index on customer_id alone (its first column).
CREATE INDEX orders_by_customer_time ON orders (customer_id, created_at, status, total_cents, fulfil_on);
DROP INDEX orders_by_customer;
