-- Case records moved to a file of their own beside the database (see src/store/sqlite.rs),
-- whose migrations are this file's 0008 and 0009. Their rows were copied there, in a
-- transaction of that file's, before this one runs: a crash between the two copies them
-- again, over the same ids, and loses none.
DROP TABLE main.diagnosis_records;
DROP TABLE main.diagnosis_record_keys;
DROP TABLE main.diagnosis_record_index;
