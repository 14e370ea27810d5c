//! Floods: Diagnose called far past one of the server's limits, so that nearly every call is
//! refused. A refusal must cost the server much less than a diagnosis, or a flood would make
//! the server slower than no limit at all.

use anyhow::Context as _;
use paydiag::{auth::Callers, server::ServerOptions};
use std::{net::SocketAddr, sync::Arc};
use tonic::{
    Code,
    metadata::{Ascii, MetadataValue},
};

/// Which limit a flood runs into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flood {
    /// The anonymous caller past the default per-caller rate limit.
    RateLimit,
    /// Every caller past a global limit of one call in flight.
    InFlight,
    /// Calls without a token to a server that requires one.
    Unauthenticated,
    /// A caller whose token lacks the role Diagnose needs.
    PermissionDenied,
}

impl Flood {
    /// Every flood, in the order they are reported.
    pub const ALL: [Flood; 4] = [
        Flood::RateLimit,
        Flood::InFlight,
        Flood::Unauthenticated,
        Flood::PermissionDenied,
    ];

    /// What it is called in the report.
    pub fn label(self) -> &'static str {
        match self {
            Flood::RateLimit => "rate limit",
            Flood::InFlight => "calls in flight",
            Flood::Unauthenticated => "no token",
            Flood::PermissionDenied => "missing role",
        }
    }

    /// The codes its refusals may carry. Calls without a token are refused UNAUTHENTICATED until
    /// their address has had its allowance of such refusals, then RESOURCE_EXHAUSTED.
    pub fn codes(self) -> &'static [Code] {
        match self {
            Flood::RateLimit | Flood::InFlight => &[Code::ResourceExhausted],
            Flood::Unauthenticated => &[Code::Unauthenticated, Code::ResourceExhausted],
            Flood::PermissionDenied => &[Code::PermissionDenied],
        }
    }
}

/// A flooded server.
pub struct Target {
    /// The limit its calls run into.
    pub flood: Flood,
    /// Where it listens.
    pub addr: SocketAddr,
    /// The `authorization` metadata of every call, if any.
    pub authorization: Option<MetadataValue<Ascii>>,
}

/// A flood's server options and the authorization its calls send.
pub struct Setup {
    /// How the flooded server is configured: the benchmark's options but for the one limit.
    pub options: ServerOptions,
    /// The `authorization` metadata of every call, if any.
    pub authorization: Option<MetadataValue<Ascii>>,
}

impl Setup {
    /// The setup of `flood`, starting from the options every benchmarked server runs with.
    pub fn of(flood: Flood, base: ServerOptions) -> anyhow::Result<Self> {
        let mut setup = Self {
            options: base,
            authorization: None,
        };
        match flood {
            // The default a server runs with, which the benchmark otherwise switches off.
            Flood::RateLimit => {
                setup.options.rate_limit_per_second = ServerOptions::default().rate_limit_per_second
            }
            Flood::InFlight => setup.options.max_calls_in_flight = 1,
            Flood::Unauthenticated => setup.options.callers = writer_only()?.0,
            Flood::PermissionDenied => {
                let (callers, token) = writer_only()?;
                setup.options.callers = callers;
                setup.authorization = Some(
                    format!("Bearer {token}")
                        .parse()
                        .context("the token as metadata")?,
                );
            }
        }
        Ok(setup)
    }
}

/// Callers made of one caller with the writer role only, which may not diagnose, and its token.
fn writer_only() -> anyhow::Result<(Arc<Callers>, String)> {
    let (token, hash) = paydiag::auth::new_token()?;
    let file = format!(
        "[[callers]]\nname = \"bench-writer\"\ntoken_sha256 = \"{hash}\"\nroles = [\"writer\"]\n"
    );
    let callers = Callers::parse(&file).context("the flood's callers")?;
    Ok((Arc::new(callers), token))
}
