//! From a customer's words to a diagnosis: what a ticket says ([`extract`]), which transactions it
//! is about, and where the ticket goes.

pub mod candidates;
pub mod extract;
pub mod policy;
