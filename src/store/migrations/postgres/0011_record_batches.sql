-- The batches of case records stored, each by its newest record's time (a time key) and the
-- 128-bit id its replica gave it when it made it (half random for each process, half a count),
-- which every try of it carries. A batch's records are stored in the statement that takes its
-- row, and only if the row is new: a replica that tries a batch again after the first try was
-- stored (its reply lost, or given up on after the operation timeout) does not store it twice,
-- and a new batch of the very same records is stored again. Retention deletes a batch's row
-- once its newest record is past the retention, with the records.

CREATE TABLE diagnosis_record_batches (
    newest_at TEXT COLLATE "C" NOT NULL,
    batch_id  BYTEA NOT NULL,
    PRIMARY KEY (newest_at, batch_id)
);
