-- A transaction held until the customer provides information: what is asked for (codes,
-- comma-separated, e.g. "originator_details,source_of_funds") and when it was asked for. Both are
-- null when nothing is asked, and set together otherwise.

ALTER TABLE transactions ADD COLUMN information_requested TEXT;
ALTER TABLE transactions ADD COLUMN information_requested_at TEXT;
