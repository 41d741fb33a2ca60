-- Booking reads the counters of a day range (`Booked::load_for`: `WHERE day BETWEEN ? AND ?`).
-- The table's key starts with (kind, ref_id), so that read scanned every counter ever kept:
-- one row per district-day and product-day, growing by the districts and products every day
-- (2,087 rows in the demo, tens of thousands after a year), under the write lock of every order.
CREATE INDEX capacity_used_by_day ON capacity_used (day);
