-- Case records: one row per diagnosis made for a ticket, written in batches off the request
-- path and deleted in small batches once older than the retention. Times are time keys (see
-- 0001), codes the rules file's snake_case names; `contributing_causes` is a comma-separated
-- list of codes. The customer's text is not kept: it renders again from the row.

CREATE TABLE diagnosis_records (
    id                     INTEGER PRIMARY KEY,
    ticket_id              TEXT NOT NULL,
    reference              TEXT NOT NULL,
    tx_hash                TEXT,
    as_of                  TEXT NOT NULL,
    diagnosed_at           TEXT NOT NULL,
    cause                  TEXT NOT NULL,
    contributing_causes    TEXT NOT NULL,
    action                 TEXT NOT NULL,
    recheck_at             TEXT,
    expected_resolution_at TEXT,
    ruleset_version        TEXT NOT NULL,
    caller                 TEXT NOT NULL,
    source                 TEXT NOT NULL,
    disposition            TEXT,
    queue                  TEXT,
    priority               TEXT
);
-- A ticket's or a reference's records newest first: one index range walked backwards.
CREATE INDEX diagnosis_records_by_ticket ON diagnosis_records (ticket_id, diagnosed_at, id);
CREATE INDEX diagnosis_records_by_reference ON diagnosis_records (reference, diagnosed_at, id);
-- Retention deletes the oldest first, a small batch at a time.
CREATE INDEX diagnosis_records_by_age ON diagnosis_records (diagnosed_at);
