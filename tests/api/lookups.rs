//! The lookup checks (see `lookup_checks.rs`) on SQLite.

use crate::every_lookup_check;
use crate::helpers::{TestApp, spawn_app};

async fn sqlite() -> (TestApp, ()) {
    (spawn_app().await, ())
}

mod sqlite {
    use super::*;

    every_lookup_check!(sqlite());
}
