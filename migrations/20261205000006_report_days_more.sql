-- More of a past day's facts summarised (see 20261205000005_report_days.sql), so a year's whole
-- report reads summaries for every section that can be summed by day: sales per day (each
-- district-day's order totals), when orders arrived, cancellations by reason, failed deliveries
-- by reason and district (with the fees they lost), and cash per driver. Every day is
-- summarised again (`report_days` emptied) to fill the new column and tables.
ALTER TABLE report_day_districts ADD COLUMN total_cents INTEGER NOT NULL DEFAULT 0;

-- Orders of a day (cancelled ones too) by the UTC hour they arrived ('2026-11-02T08').
CREATE TABLE report_day_arrivals (
    day    TEXT    NOT NULL,
    hour   TEXT    NOT NULL,
    orders INTEGER NOT NULL
);
CREATE INDEX report_day_arrivals_by_day ON report_day_arrivals (day, hour, orders);

-- Cancelled orders of a day by the reason given ('' for none).
CREATE TABLE report_day_cancellations (
    day    TEXT    NOT NULL,
    reason TEXT    NOT NULL,
    orders INTEGER NOT NULL
);
CREATE INDEX report_day_cancellations_by_day ON report_day_cancellations (day);

-- Failed stops of a run day by district (NULL: none) and the reason reported, with the
-- delivery fees of their orders.
CREATE TABLE report_day_failures (
    day         TEXT    NOT NULL,
    district_id INTEGER,
    reason      TEXT    NOT NULL,
    stops       INTEGER NOT NULL,
    fee_cents   INTEGER NOT NULL
);
CREATE INDEX report_day_failures_by_day ON report_day_failures (day);

-- A run day's stops per driver: how many, the cash due at the delivered ones, what was collected.
CREATE TABLE report_day_cash (
    day             TEXT    NOT NULL,
    driver_id       INTEGER NOT NULL,
    stops           INTEGER NOT NULL,
    expected_cents  INTEGER NOT NULL,
    collected_cents INTEGER NOT NULL
);
CREATE INDEX report_day_cash_by_day ON report_day_cash (day);

-- An order's change also takes off the day of the run its stop is on (a failed delivery's fee,
-- a run's share follow the run's day, which may differ from the order's).
DROP TRIGGER orders_report_update;
CREATE TRIGGER orders_report_update AFTER UPDATE OF status, fulfil_on, district_id, fulfilment,
    window_from, window_to, subtotal_cents, delivery_fee_cents, discount_cents, total_cents, lat, lng,
    created_at ON orders
BEGIN
    DELETE FROM report_days
    WHERE day IN (OLD.fulfil_on, NEW.fulfil_on,
                  (SELECT r.day FROM run_stops s JOIN runs r ON r.id = s.run_id WHERE s.order_id = NEW.id));
END;

-- A cancellation's reason is its history line, written with the status change (which takes the
-- day off already); a reason written later on its own does too.
CREATE TRIGGER order_events_report_cancelled AFTER INSERT ON order_events
WHEN NEW.kind = 'cancelled'
BEGIN
    DELETE FROM report_days WHERE day = (SELECT fulfil_on FROM orders WHERE id = NEW.order_id);
END;

-- What the door reported (outcome, reason, cash) and what was due there.
DROP TRIGGER run_stops_report_update;
CREATE TRIGGER run_stops_report_update AFTER UPDATE OF run_id, order_id, outcome, fail_reason,
    cash_collected_cents, cash_due_cents ON run_stops
BEGIN
    DELETE FROM report_days
    WHERE day IN (SELECT day FROM runs WHERE id IN (OLD.run_id, NEW.run_id)
                  UNION SELECT fulfil_on FROM orders WHERE id IN (OLD.order_id, NEW.order_id));
END;

-- A run handed to another driver.
DROP TRIGGER runs_report_update;
CREATE TRIGGER runs_report_update AFTER UPDATE OF day, distance_m, duration_s, driver_id ON runs
BEGIN
    DELETE FROM report_days WHERE day IN (OLD.day, NEW.day);
END;

DELETE FROM report_days;
