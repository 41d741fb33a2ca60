-- Each person's own language for Hearth's pages (issue 19); NULL: the business's language.
ALTER TABLE users ADD COLUMN language TEXT;
