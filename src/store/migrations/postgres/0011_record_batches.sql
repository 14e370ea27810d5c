-- The batches of case records stored, each by its newest record's time (a time key) and a
-- 128-bit digest of its records under its replica's random key. A batch's records are stored
-- in the statement that takes its row, and only if the row is new: a replica that tries a
-- batch again after the first try was stored (its reply lost, or given up on after the
-- operation timeout) does not store it twice. Retention deletes a batch's row once its newest
-- record is past the retention, with the records.

CREATE TABLE diagnosis_record_batches (
    newest_at TEXT COLLATE "C" NOT NULL,
    digest    BYTEA NOT NULL,
    PRIMARY KEY (newest_at, digest)
);
