-- The change feed (src/store/changes.rs): every statement that changes a table a diagnosis reads
-- notifies, in its own transaction, the keys it touched, so that at commit every replica
-- listening wakes the watches those keys concern, whichever replica (or other client) wrote.
-- The channel is the schema's own ('paydiag_changes:' and the schema's name), so that databases
-- shared by several schemas keep their feeds apart. Each key is a line: 't:' and a transaction's
-- lookup key (its reference, or its hash's key), 'a:' and an account id, 'n:' and a network
-- ('*' for every network). Per statement, not per row: an import batch writes a table with one
-- statement, and its keys go out 50 to a notification (a payload holds at most 8,000 bytes and
-- a key at most about 130).

CREATE FUNCTION paydiag_notify_keys(keys TEXT[]) RETURNS void LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM pg_notify('paydiag_changes:' || current_schema(), string_agg(key, E'\n'))
    FROM (
        SELECT key, (row_number() OVER () - 1) / 50 AS chunk
        FROM (SELECT DISTINCT unnest(keys) AS key) AS distinct_keys
    ) AS numbered
    GROUP BY chunk;
END
$$;

CREATE FUNCTION paydiag_transactions_changed() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM paydiag_notify_keys(ARRAY(
        SELECT 't:' || reference FROM changed_rows
        UNION ALL
        SELECT 't:' || tx_hash_key FROM changed_rows WHERE tx_hash_key IS NOT NULL
    ));
    RETURN NULL;
END
$$;

CREATE FUNCTION paydiag_account_statuses_changed() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM paydiag_notify_keys(ARRAY(SELECT 'a:' || account_id FROM changed_rows));
    RETURN NULL;
END
$$;

-- Maintenance windows and congestion observations both concern their network.
CREATE FUNCTION paydiag_network_changed() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM paydiag_notify_keys(ARRAY(SELECT 'n:' || network FROM changed_rows));
    RETURN NULL;
END
$$;

-- A trigger with a transition table takes one event, so each table has one per event; an update
-- notifies the keys of the rows as they were and as they are (a hash or network may change).
CREATE TRIGGER transactions_inserted_feed AFTER INSERT ON transactions
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_transactions_changed();
CREATE TRIGGER transactions_updated_feed AFTER UPDATE ON transactions
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_transactions_changed();
CREATE TRIGGER transactions_replaced_feed AFTER UPDATE ON transactions
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_transactions_changed();
CREATE TRIGGER transactions_deleted_feed AFTER DELETE ON transactions
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_transactions_changed();

CREATE TRIGGER account_statuses_inserted_feed AFTER INSERT ON account_statuses
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_account_statuses_changed();
CREATE TRIGGER account_statuses_updated_feed AFTER UPDATE ON account_statuses
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_account_statuses_changed();
CREATE TRIGGER account_statuses_deleted_feed AFTER DELETE ON account_statuses
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_account_statuses_changed();

CREATE TRIGGER maintenance_windows_inserted_feed AFTER INSERT ON maintenance_windows
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_network_changed();
CREATE TRIGGER maintenance_windows_updated_feed AFTER UPDATE ON maintenance_windows
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_network_changed();
CREATE TRIGGER maintenance_windows_replaced_feed AFTER UPDATE ON maintenance_windows
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_network_changed();
CREATE TRIGGER maintenance_windows_deleted_feed AFTER DELETE ON maintenance_windows
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_network_changed();

CREATE TRIGGER network_conditions_inserted_feed AFTER INSERT ON network_conditions
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_network_changed();
CREATE TRIGGER network_conditions_updated_feed AFTER UPDATE ON network_conditions
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_network_changed();
CREATE TRIGGER network_conditions_deleted_feed AFTER DELETE ON network_conditions
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_network_changed();
