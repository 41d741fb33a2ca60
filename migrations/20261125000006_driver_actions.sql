-- What happened at each stop, the driver's cash, and exactly-once driver updates.

ALTER TABLE run_stops ADD COLUMN outcome TEXT CHECK (outcome IN ('arrived', 'delivered', 'failed'));
ALTER TABLE run_stops ADD COLUMN outcome_at TEXT;
ALTER TABLE run_stops ADD COLUMN recipient TEXT;
ALTER TABLE run_stops ADD COLUMN cash_collected_cents INTEGER CHECK (cash_collected_cents >= 0);
ALTER TABLE run_stops ADD COLUMN fail_reason TEXT;
ALTER TABLE run_stops ADD COLUMN fail_note TEXT;

-- The owner marks a run's cash as handed over.
ALTER TABLE runs ADD COLUMN cash_handed_at TEXT;
ALTER TABLE runs ADD COLUMN cash_handed_to INTEGER REFERENCES users (id);

-- Each update from a driver's phone carries a key made on the phone; a retry with the same key
-- gets the first answer back and changes nothing.
CREATE TABLE driver_updates (
    key        TEXT    PRIMARY KEY,
    driver_id  INTEGER NOT NULL REFERENCES users (id),
    order_id   INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    action     TEXT    NOT NULL,
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
