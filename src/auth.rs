//! Who may call paydiag: callers identified by bearer tokens, each with roles.
//!
//! Tokens are never stored: the callers file holds their SHA-256 hashes, and a presented token
//! is hashed and compared in constant time.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::{fmt, path::Path, sync::Arc};
use subtle::ConstantTimeEq;

/// What a caller may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// May diagnose (`DiagnosisService`) and call read-only RPCs.
    Reader,
    /// May write facts (`FactService`).
    Writer,
}

impl Role {
    /// The role's name as written in the callers file.
    pub fn name(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Writer => "writer",
        }
    }
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The name it is known by in logs and metrics.
    pub name: String,
    /// What it may do.
    pub roles: Vec<Role>,
    /// Its own rate limit (calls per second), overriding the server's default.
    pub rate_limit_per_second: Option<u32>,
}

impl Caller {
    /// The caller every call is made as when no callers are configured (loopback only).
    pub fn anonymous() -> Arc<Caller> {
        Arc::new(Caller {
            name: "anonymous".into(),
            roles: vec![Role::Reader, Role::Writer],
            rate_limit_per_second: None,
        })
    }

    /// Whether it holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Why a call could not be authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No `authorization` metadata.
    MissingToken,
    /// Not of the form `Bearer <token>`.
    MalformedToken,
    /// A token no caller has.
    UnknownToken,
}

impl AuthFailure {
    /// A stable label for logs and metrics.
    pub fn label(self) -> &'static str {
        match self {
            AuthFailure::MissingToken => "missing_token",
            AuthFailure::MalformedToken => "malformed_token",
            AuthFailure::UnknownToken => "unknown_token",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallersFile {
    #[serde(default)]
    callers: Vec<CallerEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallerEntry {
    name: String,
    token_sha256: String,
    roles: Vec<Role>,
    rate_limit_per_second: Option<u32>,
}

struct Known {
    hash: [u8; 32],
    caller: Arc<Caller>,
}

/// The configured callers.
#[derive(Default)]
pub struct Callers {
    known: Vec<Known>,
}

impl fmt::Debug for Callers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names only: even hashes stay out of logs.
        let names: Vec<&str> = self.known.iter().map(|k| k.caller.name.as_str()).collect();
        f.debug_struct("Callers").field("names", &names).finish()
    }
}

impl Callers {
    /// Reads a callers file (TOML, see `config/callers.example.toml`).
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        let source = std::fs::read_to_string(path)
            .with_context(|| format!("reading callers file {}", path.display()))?;
        Self::parse(&source).with_context(|| format!("loading callers file {}", path.display()))
    }

    /// Parses a callers file.
    pub fn parse(source: &str) -> anyhow::Result<Self> {
        let file: CallersFile = toml::from_str(source)?;
        let mut known = Vec::with_capacity(file.callers.len());
        for entry in file.callers {
            anyhow::ensure!(!entry.name.trim().is_empty(), "a caller has an empty name");
            anyhow::ensure!(
                !entry.roles.is_empty(),
                "caller {:?} has no roles",
                entry.name
            );
            let hash = parse_hash(&entry.token_sha256).ok_or_else(|| {
                anyhow::anyhow!(
                    "caller {:?}: token_sha256 must be 64 hex digits",
                    entry.name
                )
            })?;
            anyhow::ensure!(
                !known
                    .iter()
                    .any(|k: &Known| k.hash == hash || k.caller.name == entry.name),
                "caller {:?} repeats another caller's name or token",
                entry.name
            );
            let caller = Caller {
                name: entry.name,
                roles: entry.roles,
                rate_limit_per_second: entry.rate_limit_per_second,
            };
            known.push(Known {
                hash,
                caller: Arc::new(caller),
            });
        }
        Ok(Self { known })
    }

    /// The configured callers.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Caller>> {
        self.known.iter().map(|k| &k.caller)
    }

    /// Whether no callers are configured (anonymous, loopback-only mode).
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// The caller presenting `authorization` (the metadata value), if its token is known.
    pub fn authenticate(&self, authorization: Option<&[u8]>) -> Result<Arc<Caller>, AuthFailure> {
        let value = authorization.ok_or(AuthFailure::MissingToken)?;
        let token = bearer_token(value).ok_or(AuthFailure::MalformedToken)?;
        let presented: [u8; 32] = Sha256::digest(token).into();
        // Every configured hash is compared, in constant time, whichever matches.
        let mut found = None;
        for known in &self.known {
            if bool::from(known.hash.ct_eq(&presented)) {
                found = Some(known.caller.clone());
            }
        }
        found.ok_or(AuthFailure::UnknownToken)
    }
}

fn bearer_token(value: &[u8]) -> Option<&[u8]> {
    let (scheme, token) = value.split_at_checked(7)?;
    let token = token.trim_ascii();
    (scheme.eq_ignore_ascii_case(b"bearer ") && !token.is_empty()).then_some(token)
}

fn parse_hash(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut hash = [0u8; 32];
    for (i, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(hash)
}

/// A new random token and its SHA-256 hash in hex, for `paydiag token`.
pub fn new_token() -> anyhow::Result<(String, String)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let token = format!("pd_{token}");
    Ok((token.clone(), token_hash(&token)))
}

/// The SHA-256 of a token in hex, as written in the callers file.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn callers() -> Callers {
        Callers::parse(&format!(
            r#"
            [[callers]]
            name = "agent"
            token_sha256 = "{}"
            roles = ["reader"]

            [[callers]]
            name = "feeder"
            token_sha256 = "{}"
            roles = ["writer", "reader"]
            rate_limit_per_second = 10
            "#,
            token_hash("reader-token"),
            token_hash("writer-token")
        ))
        .expect("valid callers")
    }

    #[test]
    fn a_known_bearer_token_identifies_its_caller_and_roles() {
        let callers = callers();
        let agent = callers
            .authenticate(Some(b"Bearer reader-token"))
            .expect("agent");
        let feeder = callers
            .authenticate(Some(b"bearer   writer-token "))
            .expect("feeder");
        assert_eq!(agent.name, "agent");
        assert!(agent.has(Role::Reader) && !agent.has(Role::Writer));
        assert!(feeder.has(Role::Writer));
        assert_eq!(feeder.rate_limit_per_second, Some(10));
    }

    #[test]
    fn missing_malformed_and_unknown_tokens_are_told_apart() {
        let callers = callers();
        assert_eq!(callers.authenticate(None), Err(AuthFailure::MissingToken));
        assert_eq!(
            callers.authenticate(Some(b"reader-token")),
            Err(AuthFailure::MalformedToken)
        );
        assert_eq!(
            callers.authenticate(Some(b"Bearer ")),
            Err(AuthFailure::MalformedToken)
        );
        assert_eq!(
            callers.authenticate(Some(b"Basic cmVhZGVy")),
            Err(AuthFailure::MalformedToken)
        );
        assert_eq!(
            callers.authenticate(Some(b"Bearer nope")),
            Err(AuthFailure::UnknownToken)
        );
    }

    #[test]
    fn callers_files_with_bad_hashes_duplicates_or_no_roles_are_refused() {
        let entry = |name: &str, hash: &str, roles: &str| {
            format!("[[callers]]\nname = \"{name}\"\ntoken_sha256 = \"{hash}\"\nroles = {roles}\n")
        };
        let good = token_hash("t");
        assert!(Callers::parse(&entry("a", "abc", "[\"reader\"]")).is_err());
        assert!(Callers::parse(&entry("a", &good, "[]")).is_err());
        assert!(Callers::parse(&entry("a", &good, "[\"admin\"]")).is_err());
        let twice = entry("a", &good, "[\"reader\"]") + &entry("b", &good, "[\"reader\"]");
        assert!(Callers::parse(&twice).is_err());
    }

    #[test]
    fn new_tokens_are_random_and_hash_as_written_in_the_callers_file() {
        let (a, hash) = new_token().expect("token");
        let (b, _) = new_token().expect("token");
        assert_ne!(a, b);
        assert_eq!(hash, token_hash(&a));
        assert_eq!(hash.len(), 64);
    }
}
