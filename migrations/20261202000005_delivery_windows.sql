-- Delivery windows the owner offers, per district and weekday: a JSON array of seven arrays
-- (Monday first) of [from, to] local `HH:MM` pairs, e.g. [[["09:00","11:00"]],[],...].
-- An empty day (or '[]') means the customer may name any window that day.
ALTER TABLE districts ADD COLUMN delivery_windows TEXT NOT NULL DEFAULT '[]';
