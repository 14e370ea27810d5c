//! Integration tests over real gRPC connections to a real server on a real SQLite file.

mod bad_input;
mod causes;
mod causes_sqlite;
mod cli;
mod connections;
mod corpus;
mod demo;
mod diagnose;
mod disk_full;
mod facts;
mod helpers;
mod hostile;
mod limits;
mod lookup_checks;
mod lookups;
mod next_step;
mod probed_store;
mod raw;
mod records;
mod security;
mod serving;
mod tls;
mod triage;
mod watch;
