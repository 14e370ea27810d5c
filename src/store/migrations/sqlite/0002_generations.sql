-- One counter per table that readers keep a memory-resident copy of. Triggers bump it in the same
-- transaction as every change to the table, so a reader that reads the counter inside its
-- snapshot knows whether its copy is exactly what that snapshot holds, whichever connection or
-- process wrote.

CREATE TABLE generations (
    name TEXT PRIMARY KEY NOT NULL,
    n    INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO generations (name, n) VALUES ('maintenance_windows', 0), ('network_conditions', 0);

CREATE TRIGGER maintenance_windows_inserted AFTER INSERT ON maintenance_windows BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'maintenance_windows';
END;
CREATE TRIGGER maintenance_windows_updated AFTER UPDATE ON maintenance_windows BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'maintenance_windows';
END;
CREATE TRIGGER maintenance_windows_deleted AFTER DELETE ON maintenance_windows BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'maintenance_windows';
END;

CREATE TRIGGER network_conditions_inserted AFTER INSERT ON network_conditions BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'network_conditions';
END;
CREATE TRIGGER network_conditions_updated AFTER UPDATE ON network_conditions BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'network_conditions';
END;
CREATE TRIGGER network_conditions_deleted AFTER DELETE ON network_conditions BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'network_conditions';
END;
