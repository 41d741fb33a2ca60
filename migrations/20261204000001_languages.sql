-- Languages (issue 19): the business's language (NULL: the server's default, HEARTH_LANGUAGE or
-- English), and the language a storefront order's customer reads (NULL: the business's). The
-- codes are checked by the server against the languages it has files for.
ALTER TABLE business_settings ADD COLUMN language TEXT;
ALTER TABLE orders ADD COLUMN language TEXT;
