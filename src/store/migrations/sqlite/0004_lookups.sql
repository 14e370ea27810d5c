-- What callers find transactions by besides their reference: the network's id of the transaction
-- (`tx_hash`, as given, with `tx_hash_key` the form it is looked up by: see `tx_hash_key` in
-- engine/model.rs), the destination (`destination_key`: lower case, spaces removed, so that
-- EVM addresses and IBANs match however they are written), and the account, newest first.
-- The keys are null where there is nothing to find by, and the partial indexes skip those rows.

ALTER TABLE transactions ADD COLUMN tx_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN tx_hash_key TEXT;
ALTER TABLE transactions ADD COLUMN destination_key TEXT;

UPDATE transactions SET destination_key = lower(replace(destination, ' ', ''))
WHERE destination <> '';

CREATE INDEX transactions_by_tx_hash ON transactions (tx_hash_key, created_at, reference)
    WHERE tx_hash_key IS NOT NULL;
CREATE INDEX transactions_by_destination ON transactions (destination_key, created_at, reference)
    WHERE destination_key IS NOT NULL;
CREATE INDEX transactions_by_account ON transactions (account_id, created_at, reference);
