-- The audit log: who changed what, when, from where, with before/after. Append-only: rows are
-- never updated, and deleted only once older than the owner's retention (the daily purge).
ALTER TABLE business_settings ADD COLUMN audit_retention_days INTEGER NOT NULL DEFAULT 730
    CHECK (audit_retention_days BETWEEN 30 AND 3650);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- No foreign key: the log outlives the accounts it names.
    actor_id INTEGER,
    actor    TEXT    NOT NULL,
    ip       TEXT,
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL DEFAULT '',
    -- JSON: {"before": …, "after": …} or other facts of the change.
    detail   TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_time ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_kept BEFORE DELETE ON audit_log
WHEN OLD.at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now',
        '-' || (SELECT audit_retention_days FROM business_settings WHERE id = 1) || ' days')
BEGIN
    SELECT RAISE(ABORT, 'audit entries are kept for the retention period');
END;
