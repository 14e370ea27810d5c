//! paydiag: payment-incident diagnosis.
//!
//! Data flows one way: request → validate and convert ([`api`]) → load facts ([`store`]) →
//! evaluate ([`engine`]) → render ([`i18n`]) → convert back ([`api`]).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod engine;
pub mod i18n;
pub mod mask;
pub mod pb;
