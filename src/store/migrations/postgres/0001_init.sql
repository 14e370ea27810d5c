-- The same tables as the SQLite store. Times are fixed-width RFC 3339 text in UTC with
-- nanoseconds ("2026-11-22T10:00:00.000000000Z"): exact (timestamptz keeps only microseconds)
-- and ordered the same way as text and as time under the "C" collation, which every time
-- column uses whatever the database's default. Amounts are decimal text, kept as given.

CREATE TABLE transactions (
    reference              TEXT PRIMARY KEY,
    account_id             TEXT NOT NULL,
    kind                   TEXT NOT NULL,
    network                TEXT NOT NULL,
    asset                  TEXT NOT NULL,
    amount                 TEXT NOT NULL,
    destination            TEXT NOT NULL,
    memo                   TEXT NOT NULL,
    status                 TEXT NOT NULL,
    failure_reason         TEXT,
    confirmations          BIGINT NOT NULL,
    required_confirmations BIGINT NOT NULL,
    created_at             TEXT COLLATE "C" NOT NULL,
    updated_at             TEXT COLLATE "C",
    completed_at           TEXT COLLATE "C",
    expected_amount        TEXT,
    expected_asset         TEXT,
    expected_network       TEXT,
    expected_destination   TEXT,
    expected_memo          TEXT
);

-- History: never updated, only appended; `seq` orders entries that take effect at the same time.
CREATE TABLE account_statuses (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id       TEXT NOT NULL,
    state            TEXT NOT NULL,
    reason           TEXT,
    restricted_kinds TEXT NOT NULL,
    effective_from   TEXT COLLATE "C" NOT NULL,
    effective_until  TEXT COLLATE "C",
    note             TEXT NOT NULL
);
CREATE INDEX account_statuses_in_effect ON account_statuses (account_id, effective_from, seq);

-- `clears_key` is when the backlog clears (ends_at + backlog_drain), or "~" (after every time)
-- while the window is open, so "not yet cleared at T" is one index range: clears_key > T.
CREATE TABLE maintenance_windows (
    id               TEXT PRIMARY KEY,
    network          TEXT NOT NULL,
    kinds            TEXT NOT NULL,
    type             TEXT NOT NULL,
    starts_at        TEXT COLLATE "C" NOT NULL,
    ends_at          TEXT COLLATE "C",
    backlog_drain_ns BIGINT NOT NULL,
    clears_key       TEXT COLLATE "C" NOT NULL,
    title            TEXT NOT NULL
);
CREATE INDEX maintenance_windows_holding ON maintenance_windows (network, clears_key);

CREATE TABLE network_conditions (
    network           TEXT NOT NULL,
    observed_at       TEXT COLLATE "C" NOT NULL,
    congestion_factor DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (network, observed_at)
);
