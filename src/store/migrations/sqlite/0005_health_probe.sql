-- One row health writes while the store refuses writes (no space, read-only), to learn when it
-- takes them again: a real committed write, as small as one can be.

CREATE TABLE health_probe (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    probed_at TEXT NOT NULL
);
