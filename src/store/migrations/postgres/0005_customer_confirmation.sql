-- A request waiting for the customer to confirm it (e-mail, two-step code, app prompt) before it
-- is sent, as in the SQLite store: how they confirm, and when it lapses unconfirmed (a time, so
-- in the "C" collation like every other). Both are null when nothing waits for the customer, and
-- set together otherwise.

ALTER TABLE transactions ADD COLUMN confirmation_method TEXT;
ALTER TABLE transactions ADD COLUMN confirmation_expires_at TEXT COLLATE "C";
