-- Capacity used per district-day (delivery stops) and per product-day (units), kept by
-- triggers on every write to orders and order_items, whatever code path makes it. Capacity
-- checks then read one row instead of counting the day's orders.
CREATE TABLE capacity_used (
    kind   TEXT    NOT NULL CHECK (kind IN ('stops', 'units')),
    ref_id INTEGER NOT NULL,
    day    TEXT    NOT NULL,
    used   INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0),
    PRIMARY KEY (kind, ref_id, day)
) WITHOUT ROWID;

INSERT INTO capacity_used (kind, ref_id, day, used)
SELECT 'stops', district_id, fulfil_on, COUNT(*) FROM orders
WHERE fulfilment = 'delivery' AND status <> 'cancelled' AND district_id IS NOT NULL
GROUP BY district_id, fulfil_on;

INSERT INTO capacity_used (kind, ref_id, day, used)
SELECT 'units', i.product_id, o.fulfil_on, SUM(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
WHERE o.status <> 'cancelled'
GROUP BY i.product_id, o.fulfil_on;

-- Stops: an order counts when it is a delivery, not cancelled, and has a district.
CREATE TRIGGER orders_stops_insert AFTER INSERT ON orders
WHEN NEW.fulfilment = 'delivery' AND NEW.status <> 'cancelled' AND NEW.district_id IS NOT NULL
BEGIN
    INSERT INTO capacity_used (kind, ref_id, day, used) VALUES ('stops', NEW.district_id, NEW.fulfil_on, 1)
    ON CONFLICT (kind, ref_id, day) DO UPDATE SET used = used + 1;
END;

CREATE TRIGGER orders_stops_update AFTER UPDATE OF status, fulfilment, district_id, fulfil_on ON orders
BEGIN
    UPDATE capacity_used SET used = used - 1
    WHERE kind = 'stops' AND ref_id = OLD.district_id AND day = OLD.fulfil_on
      AND OLD.fulfilment = 'delivery' AND OLD.status <> 'cancelled' AND OLD.district_id IS NOT NULL;
    INSERT INTO capacity_used (kind, ref_id, day, used)
    SELECT 'stops', NEW.district_id, NEW.fulfil_on, 1
    WHERE NEW.fulfilment = 'delivery' AND NEW.status <> 'cancelled' AND NEW.district_id IS NOT NULL
    ON CONFLICT (kind, ref_id, day) DO UPDATE SET used = used + 1;
END;

CREATE TRIGGER orders_stops_delete AFTER DELETE ON orders
WHEN OLD.fulfilment = 'delivery' AND OLD.status <> 'cancelled' AND OLD.district_id IS NOT NULL
BEGIN
    UPDATE capacity_used SET used = used - 1
    WHERE kind = 'stops' AND ref_id = OLD.district_id AND day = OLD.fulfil_on;
END;

-- Units: an item counts while its order is not cancelled.
CREATE TRIGGER items_units_insert AFTER INSERT ON order_items
BEGIN
    INSERT INTO capacity_used (kind, ref_id, day, used)
    SELECT 'units', NEW.product_id, o.fulfil_on, NEW.quantity FROM orders o
    WHERE o.id = NEW.order_id AND o.status <> 'cancelled'
    ON CONFLICT (kind, ref_id, day) DO UPDATE SET used = used + excluded.used;
END;

CREATE TRIGGER items_units_update AFTER UPDATE OF quantity, product_id, order_id ON order_items
BEGIN
    UPDATE capacity_used SET used = used - OLD.quantity
    WHERE kind = 'units' AND ref_id = OLD.product_id
      AND day = (SELECT fulfil_on FROM orders WHERE id = OLD.order_id AND status <> 'cancelled');
    INSERT INTO capacity_used (kind, ref_id, day, used)
    SELECT 'units', NEW.product_id, o.fulfil_on, NEW.quantity FROM orders o
    WHERE o.id = NEW.order_id AND o.status <> 'cancelled'
    ON CONFLICT (kind, ref_id, day) DO UPDATE SET used = used + excluded.used;
END;

CREATE TRIGGER items_units_delete AFTER DELETE ON order_items
BEGIN
    UPDATE capacity_used SET used = used - OLD.quantity
    WHERE kind = 'units' AND ref_id = OLD.product_id
      AND day = (SELECT fulfil_on FROM orders WHERE id = OLD.order_id AND status <> 'cancelled');
END;

CREATE TRIGGER orders_units_update AFTER UPDATE OF status, fulfil_on ON orders
WHEN (OLD.status = 'cancelled') <> (NEW.status = 'cancelled') OR OLD.fulfil_on <> NEW.fulfil_on
BEGIN
    UPDATE capacity_used SET used = used - (
        SELECT SUM(i.quantity) FROM order_items i WHERE i.order_id = OLD.id AND i.product_id = capacity_used.ref_id)
    WHERE kind = 'units' AND day = OLD.fulfil_on AND OLD.status <> 'cancelled'
      AND ref_id IN (SELECT product_id FROM order_items WHERE order_id = OLD.id);
    INSERT INTO capacity_used (kind, ref_id, day, used)
    SELECT 'units', i.product_id, NEW.fulfil_on, SUM(i.quantity) FROM order_items i
    WHERE i.order_id = NEW.id AND NEW.status <> 'cancelled'
    GROUP BY i.product_id
    ON CONFLICT (kind, ref_id, day) DO UPDATE SET used = used + excluded.used;
END;
