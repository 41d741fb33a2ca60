-- The business as customers see it, set by the owner on the setup page or in Settings.
-- NULL: the environment's value (HEARTH_BUSINESS_NAME, HEARTH_CURRENCY, HEARTH_TIMEZONE).
ALTER TABLE business_settings ADD COLUMN business_name TEXT
    CHECK (business_name IS NULL OR length(business_name) BETWEEN 1 AND 80);
ALTER TABLE business_settings ADD COLUMN currency TEXT
    CHECK (currency IS NULL OR length(currency) = 3);
-- An IANA time zone, e.g. Europe/Madrid: what "today" and every local time mean.
ALTER TABLE business_settings ADD COLUMN timezone TEXT;
