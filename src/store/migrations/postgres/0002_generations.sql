-- One counter per table that replicas keep a memory-resident copy of, as in the SQLite store. A
-- trigger bumps it in the same transaction as every statement that changes the table, so a
-- replica that reads the counter inside its snapshot knows whether its copy is exactly what that
-- snapshot holds, whichever replica wrote. Per statement, not per row: an import batch writes a
-- table with one statement.

CREATE TABLE generations (
    name TEXT PRIMARY KEY,
    n    BIGINT NOT NULL
);

INSERT INTO generations (name, n) VALUES ('maintenance_windows', 0), ('network_conditions', 0);

-- The schema it was created in, whatever the search path of the session that writes.
CREATE FUNCTION paydiag_bump_generation() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE generations SET n = n + 1 WHERE name = TG_TABLE_NAME;
    RETURN NULL;
END
$$;

CREATE TRIGGER maintenance_windows_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON maintenance_windows
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_bump_generation();

CREATE TRIGGER network_conditions_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON network_conditions
    FOR EACH STATEMENT EXECUTE FUNCTION paydiag_bump_generation();
