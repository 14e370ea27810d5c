-- A transaction held until the customer provides information, as in the SQLite store: what is
-- asked for (codes, comma-separated) and when it was asked for (a time, so in the "C" collation
-- like every other). Both are null when nothing is asked, and set together otherwise.

ALTER TABLE transactions ADD COLUMN information_requested TEXT;
ALTER TABLE transactions ADD COLUMN information_requested_at TEXT COLLATE "C";
