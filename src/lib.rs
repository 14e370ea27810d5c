//! paydiag: payment-incident diagnosis.
//!
//! Data flows one way: request → check and convert ([`api`]) → load facts ([`store`]) →
//! evaluate ([`engine`]) → render ([`i18n`]) → convert back ([`api`]).

#![warn(missing_docs)]

pub mod api;
pub mod auth;
pub mod client;
pub mod clock;
pub mod demo;
pub mod engine;
pub mod health;
pub mod i18n;
pub mod json;
pub mod layers;
pub mod mask;
pub mod pb;
pub mod recorder;
pub mod server;
pub mod store;
pub mod telemetry;
pub mod transport;
pub mod triage;
pub mod watch;
