-- A product's photo for the website's catalog: a JPEG shrunk in the owner's browser
-- (longest side 1200 px), served publicly at /media/products/{id}.
CREATE TABLE product_photos (
    product_id INTEGER PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    bytes      BLOB    NOT NULL,
    width      INTEGER NOT NULL CHECK (width > 0),
    height     INTEGER NOT NULL CHECK (height > 0),
    updated_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
