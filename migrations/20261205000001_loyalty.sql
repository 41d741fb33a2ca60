-- Loyalty and referral: the bakery's programme (one row), a ledger of points per customer
-- (earned on delivered orders, redeemed as a discount, given back when an order is cancelled,
-- expired, rewarded for a referral, adjusted by the owner), each customer's referral code, and
-- who referred whom. Owned by `loyalty::store`; the order core calls it in the transaction that
-- creates, delivers or cancels an order.
CREATE TABLE loyalty_program (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    enabled            INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    -- Points earned per whole unit of the currency paid for the items (after discounts).
    points_per_unit    INTEGER NOT NULL DEFAULT 1 CHECK (points_per_unit BETWEEN 1 AND 100),
    -- What 100 points take off an order, in cents.
    value_per_100      INTEGER NOT NULL DEFAULT 500 CHECK (value_per_100 BETWEEN 1 AND 10000),
    -- The fewest points one order may redeem.
    min_redeem         INTEGER NOT NULL DEFAULT 100 CHECK (min_redeem BETWEEN 1 AND 100000),
    -- Points expire this many days after they were earned (0: never).
    expiry_days        INTEGER NOT NULL DEFAULT 365 CHECK (expiry_days BETWEEN 0 AND 3650),
    -- Points each side gets on a referred customer's first delivered order (0: no referral reward).
    referral_points    INTEGER NOT NULL DEFAULT 200 CHECK (referral_points BETWEEN 0 AND 100000),
    updated_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO loyalty_program (id) VALUES (1);

-- Append-only. A credit (earned, refunded, referral, a positive adjustment) is a lot with the
-- last day it can be used; debits (redeemed, expired, reversed, a negative adjustment) take
-- points from the lots that expire first. An expiry names the lot it ends.
CREATE TABLE loyalty_ledger (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('earned', 'redeemed', 'refunded', 'expired', 'reversed', 'referral', 'adjusted')),
    points      INTEGER NOT NULL CHECK (points <> 0),
    -- A redemption (and its refund): what the points took off the order.
    cents       INTEGER NOT NULL DEFAULT 0 CHECK (cents >= 0),
    order_id    INTEGER REFERENCES orders (id) ON DELETE SET NULL,
    expires_on  TEXT,
    lot_id      INTEGER REFERENCES loyalty_ledger (id),
    note        TEXT    CHECK (note IS NULL OR length(note) <= 200),
    user_id     INTEGER REFERENCES users (id),
    -- The bakery's local day of the entry.
    on_day      TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((points > 0) = (kind IN ('earned', 'refunded', 'referral') OR (kind = 'adjusted' AND points > 0))),
    CHECK (points < 0 OR kind <> 'expired')
);
CREATE INDEX loyalty_ledger_by_customer ON loyalty_ledger (customer_id, id);
CREATE INDEX loyalty_ledger_by_order ON loyalty_ledger (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX loyalty_ledger_by_expiry ON loyalty_ledger (expires_on) WHERE expires_on IS NOT NULL;

CREATE TABLE referral_codes (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    code        TEXT    NOT NULL UNIQUE CHECK (length(code) BETWEEN 4 AND 20)
);

-- A new customer who came with another's referral code (on their first order).
CREATE TABLE referrals (
    customer_id  INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    referrer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    order_id     INTEGER REFERENCES orders (id) ON DELETE SET NULL,
    -- The first delivered order that rewarded both sides.
    rewarded_order_id INTEGER REFERENCES orders (id) ON DELETE SET NULL,
    rewarded_on  TEXT,
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (customer_id <> referrer_id)
);
CREATE INDEX referrals_by_referrer ON referrals (referrer_id);
