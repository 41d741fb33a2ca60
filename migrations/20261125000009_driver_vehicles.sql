-- Each driver's van and shift, when they differ from the business defaults
-- (business_settings.van_capacity / shift_start / shift_end). NULL = the default.
ALTER TABLE users ADD COLUMN van_capacity INTEGER CHECK (van_capacity IS NULL OR van_capacity > 0);
ALTER TABLE users ADD COLUMN shift_start TEXT;
ALTER TABLE users ADD COLUMN shift_end TEXT;
