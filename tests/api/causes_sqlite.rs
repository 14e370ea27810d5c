//! The cause checks (see `causes.rs`) on SQLite.

use crate::every_cause_check;
use crate::helpers::{TestApp, spawn_app};

async fn sqlite() -> (TestApp, ()) {
    (spawn_app().await, ())
}

mod sqlite {
    use super::*;

    every_cause_check!(sqlite());
}
