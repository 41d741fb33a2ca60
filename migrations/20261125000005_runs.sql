-- Delivery runs: one per driver per day, planned by the route solver, published to the driver
-- and (as ETAs) to the customers. Plus the business's kitchen, travel model and costs.

-- One row (id = 1): where runs start and end, how travel is estimated, what things cost.
CREATE TABLE business_settings (
    id                         INTEGER PRIMARY KEY CHECK (id = 1),
    kitchen_address            TEXT    NOT NULL DEFAULT '',
    kitchen_lat                REAL,
    kitchen_lng                REAL,
    -- Straight-line distance × detour factor, at this average speed (when no OSRM is set).
    detour_factor              REAL    NOT NULL DEFAULT 1.35 CHECK (detour_factor >= 1),
    avg_speed_kmh              REAL    NOT NULL DEFAULT 22 CHECK (avg_speed_kmh > 0),
    service_minutes            INTEGER NOT NULL DEFAULT 4 CHECK (service_minutes >= 0),
    -- A driver's default shift (local time) and van capacity in items.
    shift_start                TEXT    NOT NULL DEFAULT '08:30',
    shift_end                  TEXT    NOT NULL DEFAULT '20:30',
    van_capacity               INTEGER NOT NULL DEFAULT 150 CHECK (van_capacity > 0),
    -- Own delivery: vehicle cost per km and driver cost per hour; third party: base + per km.
    cost_per_km_cents          INTEGER NOT NULL DEFAULT 30 CHECK (cost_per_km_cents >= 0),
    driver_cost_per_hour_cents INTEGER NOT NULL DEFAULT 1500 CHECK (driver_cost_per_hour_cents >= 0),
    third_party_base_cents     INTEGER NOT NULL DEFAULT 390 CHECK (third_party_base_cents >= 0),
    third_party_per_km_cents   INTEGER NOT NULL DEFAULT 80 CHECK (third_party_per_km_cents >= 0),
    updated_at                 TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO business_settings (id) VALUES (1);

CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    day          TEXT    NOT NULL,
    driver_id    INTEGER NOT NULL REFERENCES users (id),
    status       TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    -- Shift, local 'HH:MM', and capacity in items.
    shift_start  TEXT    NOT NULL,
    shift_end    TEXT    NOT NULL,
    capacity     INTEGER NOT NULL CHECK (capacity > 0),
    -- Planned totals: metres driven, seconds from leaving the kitchen to coming back.
    distance_m   INTEGER NOT NULL DEFAULT 0,
    duration_s   INTEGER NOT NULL DEFAULT 0,
    -- Planned departure from and return to the kitchen (UTC).
    depart_at    TEXT,
    return_at    TEXT,
    published_at TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CONSTRAINT runs_driver_day_unique UNIQUE (day, driver_id)
);
CREATE INDEX runs_by_day ON runs (day);

CREATE TABLE run_stops (
    run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    -- An order is on at most one run.
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL CHECK (seq >= 1),
    locked   INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    -- Planned arrival (UTC), and whether it falls outside the customer's window.
    eta      TEXT    NOT NULL,
    late     INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    -- Metres driven from the previous stop.
    leg_m    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, seq),
    CONSTRAINT run_stops_order_unique UNIQUE (order_id)
);

-- Deliveries the last optimisation of their day could not place, and why.
CREATE TABLE run_exclusions (
    order_id INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    day      TEXT    NOT NULL,
    reason   TEXT    NOT NULL
);
