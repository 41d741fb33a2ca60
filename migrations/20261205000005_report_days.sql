-- Day summaries for the owner's reports: a past day's facts grouped once (units and takings per
-- district and product, deliveries per window, orders and money per district, each run's
-- distance and time shared per district, units booked by lead for the forecast), so a year's
-- report reads ~40,000 small rows instead of every order, item line and stop of the year
-- (~460,000 orders).
--
-- `report_days` names the days whose summary is good. The summaries are written only by
-- `src/reports/store/days/` (the hourly worker, days before today). Any change that could
-- alter a day's facts takes its day off `report_days` here, whatever path wrote it, and the
-- report reads that day live until the worker summarises it again. Nothing in the summaries
-- depends on prices, recipes' costs, the delivery cost rates or names: those are applied when
-- the report is read.
CREATE TABLE report_days (
    day           TEXT PRIMARY KEY,
    summarised_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) WITHOUT ROWID;

-- Units and takings (quantity × unit price) per day, district (NULL: pickup) and product, of
-- the orders not cancelled.
CREATE TABLE report_day_items (
    day         TEXT    NOT NULL,
    district_id INTEGER,
    product_id  INTEGER NOT NULL,
    units       INTEGER NOT NULL,
    cents       INTEGER NOT NULL
);
CREATE INDEX report_day_items_by_day ON report_day_items (day, district_id, product_id, units, cents);

-- Deliveries not cancelled per day and window ('09:00–11:00'; '–' when none).
CREATE TABLE report_day_windows (
    day        TEXT    NOT NULL,
    slot       TEXT    NOT NULL,
    deliveries INTEGER NOT NULL
);
CREATE INDEX report_day_windows_by_day ON report_day_windows (day, slot, deliveries);

-- Per day and district (NULL: pickup), the orders not cancelled, their subtotal + fee and
-- discounts, and the deliveries on no run (how many, and their mean position).
CREATE TABLE report_day_districts (
    day            TEXT    NOT NULL,
    district_id    INTEGER,
    orders         INTEGER NOT NULL,
    gross_cents    INTEGER NOT NULL,
    discount_cents INTEGER NOT NULL,
    unrun          INTEGER NOT NULL,
    unrun_lat      REAL,
    unrun_lng      REAL
);
CREATE INDEX report_day_districts_by_day ON report_day_districts (day);

-- Per run day and district, the runs' kilometres and hours shared evenly among their stops
-- (stops whose order is not cancelled); the report prices them at the Settings rates.
CREATE TABLE report_day_runs (
    day         TEXT    NOT NULL,
    district_id INTEGER,
    km          REAL    NOT NULL,
    hours       REAL    NOT NULL
);
CREATE INDEX report_day_runs_by_day ON report_day_runs (day);

-- Units booked per day and product by lead (whole days from the day the order arrived, UTC, to
-- the day), of the orders not cancelled: the kitchen forecast's history.
CREATE TABLE report_day_bookings (
    day        TEXT    NOT NULL,
    product_id INTEGER NOT NULL,
    lead       INTEGER NOT NULL,
    units      INTEGER NOT NULL
);
CREATE INDEX report_day_bookings_by_day ON report_day_bookings (day, product_id, lead, units);

CREATE TRIGGER orders_report_insert AFTER INSERT ON orders
BEGIN
    DELETE FROM report_days WHERE day = NEW.fulfil_on;
END;

CREATE TRIGGER orders_report_update AFTER UPDATE OF status, fulfil_on, district_id, fulfilment,
    window_from, window_to, subtotal_cents, delivery_fee_cents, discount_cents, lat, lng, created_at
    ON orders
BEGIN
    DELETE FROM report_days WHERE day IN (OLD.fulfil_on, NEW.fulfil_on);
END;

CREATE TRIGGER orders_report_delete AFTER DELETE ON orders
BEGIN
    DELETE FROM report_days WHERE day = OLD.fulfil_on;
END;

CREATE TRIGGER order_items_report_insert AFTER INSERT ON order_items
BEGIN
    DELETE FROM report_days WHERE day = (SELECT fulfil_on FROM orders WHERE id = NEW.order_id);
END;

CREATE TRIGGER order_items_report_update AFTER UPDATE ON order_items
BEGIN
    DELETE FROM report_days
    WHERE day IN (SELECT fulfil_on FROM orders WHERE id IN (OLD.order_id, NEW.order_id));
END;

CREATE TRIGGER order_items_report_delete AFTER DELETE ON order_items
BEGIN
    DELETE FROM report_days WHERE day = (SELECT fulfil_on FROM orders WHERE id = OLD.order_id);
END;

CREATE TRIGGER runs_report_insert AFTER INSERT ON runs
BEGIN
    DELETE FROM report_days WHERE day = NEW.day;
END;

CREATE TRIGGER runs_report_update AFTER UPDATE OF day, distance_m, duration_s ON runs
BEGIN
    DELETE FROM report_days WHERE day IN (OLD.day, NEW.day);
END;

CREATE TRIGGER runs_report_delete AFTER DELETE ON runs
BEGIN
    DELETE FROM report_days WHERE day = OLD.day;
END;

-- A stop moves its run's kilometres among districts and takes its order off the "no run" count.
CREATE TRIGGER run_stops_report_insert AFTER INSERT ON run_stops
BEGIN
    DELETE FROM report_days
    WHERE day IN (SELECT day FROM runs WHERE id = NEW.run_id
                  UNION SELECT fulfil_on FROM orders WHERE id = NEW.order_id);
END;

CREATE TRIGGER run_stops_report_update AFTER UPDATE OF run_id, order_id ON run_stops
BEGIN
    DELETE FROM report_days
    WHERE day IN (SELECT day FROM runs WHERE id IN (OLD.run_id, NEW.run_id)
                  UNION SELECT fulfil_on FROM orders WHERE id IN (OLD.order_id, NEW.order_id));
END;

CREATE TRIGGER run_stops_report_delete AFTER DELETE ON run_stops
BEGIN
    DELETE FROM report_days
    WHERE day IN (SELECT day FROM runs WHERE id = OLD.run_id
                  UNION SELECT fulfil_on FROM orders WHERE id = OLD.order_id);
END;
