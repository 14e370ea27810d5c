-- Case records, in a file of their own beside the facts (see src/store/sqlite.rs): a record
-- commits every few tens of milliseconds, and a commit to the facts' file would make every
-- reader of facts drop its page cache. The tables are those that migrations 0008 and 0009 of
-- the facts' file made, which migration 0010 drops once their rows are here.

-- One row per diagnosis made for a ticket, written in batches off the request path and deleted
-- in small batches once older than the retention. Times are time keys (see the facts' 0001),
-- codes the rules file's snake_case names; `contributing_causes` is a comma-separated list of
-- codes. The customer's text is not kept: it renders again from the row. No index: a record is
-- appended alone, and found through `diagnosis_record_keys`.
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

-- Three entries per record: its ticket's key, its reference's key, and the age key 0, each
-- with when it was made (nanoseconds since the epoch) and its id. A key is a SipHash of the
-- ticket id or reference under `hash_key`, never 0: equal texts have equal keys; a listing
-- checks the text too. Records are keyed many thousands at once and in key order, so that each
-- page of this table is written about once per batch (see src/store/sqlite/record_keys.rs).
CREATE TABLE diagnosis_record_keys (
    key          INTEGER NOT NULL,
    diagnosed_ns INTEGER NOT NULL,
    id           INTEGER NOT NULL,
    PRIMARY KEY (key, diagnosed_ns, id)
) WITHOUT ROWID;

-- One row: the file's own hash key, random, so that keys cannot be made to collide from
-- outside; and the id through which every record is keyed.
CREATE TABLE diagnosis_record_index (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    hash_key        BLOB NOT NULL CHECK (length(hash_key) = 16),
    indexed_through INTEGER NOT NULL
);
INSERT INTO diagnosis_record_index (id, hash_key, indexed_through) VALUES (1, randomblob(16), 0);
