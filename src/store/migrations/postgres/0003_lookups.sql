-- What callers find transactions by besides their reference, as in the SQLite store: the
-- network's id of the transaction (`tx_hash`, as given, with `tx_hash_key` the form it is looked
-- up by), the destination (`destination_key`: lower case, spaces removed), and the account,
-- newest first. The keys are null where there is nothing to find by, and the partial indexes
-- skip those rows. Keys and references use the "C" collation, like times, so that the newest-first
-- order (created_at, reference) is the same bytewise order as in SQLite.

ALTER TABLE transactions ADD COLUMN tx_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN tx_hash_key TEXT COLLATE "C";
ALTER TABLE transactions ADD COLUMN destination_key TEXT COLLATE "C";

UPDATE transactions SET destination_key = lower(replace(destination, ' ', ''))
WHERE destination <> '';

CREATE INDEX transactions_by_tx_hash ON transactions (tx_hash_key, created_at, reference COLLATE "C")
    WHERE tx_hash_key IS NOT NULL;
CREATE INDEX transactions_by_destination
    ON transactions (destination_key, created_at, reference COLLATE "C")
    WHERE destination_key IS NOT NULL;
CREATE INDEX transactions_by_account ON transactions (account_id, created_at, reference COLLATE "C");
