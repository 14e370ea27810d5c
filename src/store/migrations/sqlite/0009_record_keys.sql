-- Case records are found through one narrow table of keys rather than three indexes on the
-- records themselves. A record is appended to `diagnosis_records` alone; its keys are added
-- later, many thousands at once and in key order, so that each page of the key table is
-- written about once per batch instead of once per record (see src/store/sqlite/record_keys.rs).
-- Records not yet keyed (`id > indexed_through`) are few and read by a scan of the table's
-- newest rows.
DROP INDEX diagnosis_records_by_ticket;
DROP INDEX diagnosis_records_by_reference;
DROP INDEX diagnosis_records_by_age;

-- Three entries per record: its ticket's key, its reference's key, and the age key 0, each
-- with when it was made (nanoseconds since the epoch) and its id. A key is a SipHash of the
-- ticket id or reference under `hash_key`, never 0: equal texts have equal keys; a listing
-- checks the text too.
CREATE TABLE diagnosis_record_keys (
    key          INTEGER NOT NULL,
    diagnosed_ns INTEGER NOT NULL,
    id           INTEGER NOT NULL,
    PRIMARY KEY (key, diagnosed_ns, id)
) WITHOUT ROWID;

-- One row: the database's own hash key, random, so that keys cannot be made to collide from
-- outside; and the id through which every record is keyed.
CREATE TABLE diagnosis_record_index (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    hash_key        BLOB NOT NULL CHECK (length(hash_key) = 16),
    indexed_through INTEGER NOT NULL
);
INSERT INTO diagnosis_record_index (id, hash_key, indexed_through) VALUES (1, randomblob(16), 0);
