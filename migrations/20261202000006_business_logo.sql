-- The bakery's logo: a JPEG shrunk in the owner's browser (longest side 512 px), shown in
-- Hearth's header and on the tracker, and served publicly at /media/logo for the website.
CREATE TABLE business_logo (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    bytes      BLOB    NOT NULL,
    width      INTEGER NOT NULL CHECK (width > 0),
    height     INTEGER NOT NULL CHECK (height > 0),
    updated_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
