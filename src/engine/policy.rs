//! Network policies and settings, loaded from the TOML rules file.
//!
//! The shipped defaults live in `config/rules.toml` and are compiled in; `--rules FILE` replaces
//! them. The ruleset version is derived from the file's bytes, so it changes whenever the rules do.

use super::{
    diagnosis::Action,
    next_step::ServiceLevel,
    service_levels::{self, ServiceLevels, ServiceLevelsFile},
    time::business::Calendar,
};
use crate::i18n::{
    Locale,
    zones::{DefaultZones, TimeZonesFile},
};
use crate::triage::policy::{TriageFile, TriagePolicy};
use chrono::{NaiveDate, TimeDelta};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, de::Error as _};
use sha2::{Digest, Sha256};
use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
    time::Duration,
};

/// The rules file shipped with paydiag.
pub const DEFAULT_RULES: &str = include_str!("../../config/rules.toml");

/// How a network writes addresses, which decides how two of them are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AddressFormat {
    /// Compared exactly (base58 and most others are case-sensitive).
    #[default]
    Exact,
    /// EVM hex addresses: compared case-insensitively (the mixed case is only a checksum).
    Evm,
    /// IBAN and account numbers: compared case-insensitively, spaces ignored.
    Iban,
}

impl AddressFormat {
    /// Whether two addresses name the same destination on a network of this format.
    pub fn same(self, a: &str, b: &str) -> bool {
        match self {
            Self::Exact => a == b,
            Self::Evm => a.eq_ignore_ascii_case(b),
            Self::Iban => {
                let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
                strip(a).eq_ignore_ascii_case(&strip(b))
            }
        }
    }
}

/// An amount of money in the rules file, written as a decimal string (`"0.0001"`): never a
/// float, so that a minimum is exactly what was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Amount(pub Decimal);

impl TryFrom<String> for Amount {
    type Error = String;

    fn try_from(written: String) -> Result<Self, Self::Error> {
        Decimal::from_str_exact(&written)
            .ok()
            .filter(|d| *d > Decimal::ZERO)
            .map(Amount)
            .ok_or_else(|| format!("{written:?} is not a positive decimal string such as \"0.5\""))
    }
}

/// Reads `holidays`: TOML dates, without a time or an offset.
fn holidays<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Calendar, D::Error> {
    let written = Vec::<toml::value::Datetime>::deserialize(deserializer)?;
    let dates = written.into_iter().map(|holiday| {
        let date = match (holiday.date, holiday.time, holiday.offset) {
            (Some(date), None, None) => {
                NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
            }
            _ => None,
        };
        date.ok_or_else(|| {
            D::Error::custom(format!(
                "holiday {holiday} is not a date such as 2026-04-03"
            ))
        })
    });
    dates.collect::<Result<Vec<_>, _>>().map(Calendar::new)
}

/// How one network or rail behaves.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkPolicy {
    /// Confirmations a transaction needs (0 for rails without confirmations).
    #[serde(default)]
    pub required_confirmations: u32,
    /// Time between blocks, for networks with confirmations.
    #[serde(default, with = "humantime_serde")]
    pub block_interval: Option<Duration>,
    /// Normal end-to-end processing time, for rails without confirmations.
    #[serde(default, with = "humantime_serde")]
    pub processing_time: Option<Duration>,
    /// Whether deposits must carry a memo or tag to be credited.
    #[serde(default)]
    pub memo_required: bool,
    /// How many times the expected time may pass before a transaction counts as stalled.
    #[serde(default)]
    pub stall_factor: Option<f64>,
    /// How addresses are compared.
    #[serde(default)]
    pub address_format: AddressFormat,
    /// Whether the rail settles on weekdays only: its processing time, waits and stall bound
    /// count Monday to Friday (UTC). Only for rails with a `processing_time`.
    #[serde(default)]
    pub business_days: bool,
    /// The rail's public holidays (UTC dates, written as TOML dates: `2026-04-03`), on which a
    /// rail with `business_days` does not settle either. Only for such rails.
    #[serde(default, deserialize_with = "holidays")]
    pub holidays: Calendar,
    /// Other names customers give the network (a token standard such as `ERC20`, or its name),
    /// read as this network in claims.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The assets the platform supports on this network (codes, upper-cased at load): a deposit
    /// of any other is not credited. Unset = not checked (every asset is taken).
    #[serde(default)]
    pub assets: Option<Vec<String>>,
    /// The smallest deposit credited, per asset code (upper-cased at load); an asset without an
    /// entry has no minimum.
    #[serde(default)]
    pub min_deposit: BTreeMap<String, Amount>,
}

impl NetworkPolicy {
    /// How long a transaction normally takes, without congestion: its confirmations at the
    /// block interval, or the rail's processing time.
    pub fn normal_time(&self) -> Duration {
        match self.block_interval {
            Some(interval) => interval.saturating_mul(self.required_confirmations),
            None => self.processing_time.unwrap_or_default(),
        }
    }

    /// Whether the platform takes deposits of `asset` (upper-case) on this network.
    pub fn supports(&self, asset: &str) -> bool {
        self.assets
            .as_ref()
            .is_none_or(|assets| assets.iter().any(|a| a == asset))
    }

    /// The smallest deposit of `asset` (upper-case) credited on this network, if it has one.
    pub fn min_deposit(&self, asset: &str) -> Option<Decimal> {
        self.min_deposit.get(asset).map(|a| a.0)
    }

    /// The policy with its asset codes upper-cased, as every code is compared.
    fn normalized(mut self) -> Self {
        if let Some(assets) = &mut self.assets {
            assets.iter_mut().for_each(|a| a.make_ascii_uppercase());
        }
        self.min_deposit = std::mem::take(&mut self.min_deposit)
            .into_iter()
            .map(|(asset, minimum)| (asset.to_ascii_uppercase(), minimum))
            .collect();
        self
    }
}

/// Tunables that are not per network.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// How far the claimed payment time may be from the record's creation before it is a mismatch.
    #[serde(with = "humantime_serde")]
    pub claim_time_tolerance: Duration,
    /// Network conditions older than this at the evaluation time are ignored.
    #[serde(with = "humantime_serde")]
    pub network_condition_ttl: Duration,
    /// When to recheck a transaction held by a maintenance window with no known end.
    #[serde(with = "humantime_serde")]
    pub open_window_recheck: Duration,
    /// Stall factor for policies that do not set their own.
    pub stall_factor: f64,
    /// The shortest wait that counts as stalled, however fast the network: on chains that
    /// confirm in seconds, a stall factor alone would escalate deposits still being credited.
    #[serde(default, with = "humantime_serde")]
    pub min_stall_after: Duration,
    /// What the customer is told to do about a deposit below its network's minimum:
    /// `contact_support` (support recovers it, where the platform offers that) or
    /// `request_recovery` (the customer files the request in the app).
    #[serde(default = "contact_support")]
    pub below_minimum_action: Action,
    /// What the customer is told to do about a deposit of an asset its network does not take
    /// (see `assets`): `request_recovery` (the customer files the request in the app) or
    /// `contact_support`.
    #[serde(default = "request_recovery")]
    pub unsupported_asset_action: Action,
}

/// The shipped `unsupported_asset_action`.
fn request_recovery() -> Action {
    Action::RequestRecovery
}

/// The shipped `below_minimum_action`.
fn contact_support() -> Action {
    Action::ContactSupport
}

/// The actions a policy may choose for a deposit that cannot be credited as it is: either way
/// its funds are recovered by hand, only who starts the request differs.
const RECOVERY_ACTIONS: [Action; 2] = [Action::ContactSupport, Action::RequestRecovery];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    version: String,
    settings: Settings,
    fallback: NetworkPolicy,
    networks: HashMap<String, NetworkPolicy>,
    /// Unset = the shipped file's, so that rules files written before triage still load.
    #[serde(default)]
    triage: Option<TriageFile>,
    /// Unset = the shipped file's, so that rules files written before service levels still load.
    #[serde(default)]
    service_levels: Option<ServiceLevelsFile>,
    /// Unset = the shipped file's (or, in a rules file written before it, what its triage
    /// section says).
    #[serde(default)]
    time_zones: Option<TimeZonesFile>,
}

/// A loaded, validated rules file.
#[derive(Debug, Clone)]
pub struct RuleSet {
    version: Arc<str>,
    settings: Settings,
    fallback: NetworkPolicy,
    networks: foldhash::HashMap<String, NetworkPolicy>,
    /// Upper-case alias to network code.
    aliases: foldhash::HashMap<String, String>,
    triage: Arc<TriagePolicy>,
    service_levels: ServiceLevels,
    time_zones: DefaultZones,
}

/// A rules file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// Not valid TOML of the expected shape.
    #[error("rules file is not valid: {0}")]
    Parse(#[from] toml::de::Error),
    /// Parsed, but a value makes no sense.
    #[error("rules file is not valid: {0}")]
    Invalid(String),
}

/// The policy that applies to a network, and whether it is the fallback.
#[derive(Debug, Clone, Copy)]
pub struct PolicyRef<'a> {
    /// The policy.
    pub policy: &'a NetworkPolicy,
    /// True when the network has no policy of its own.
    pub fallback: bool,
}

impl RuleSet {
    /// Parses and validates a rules file.
    pub fn parse(source: &str) -> Result<Self, RulesError> {
        let file: RulesFile = toml::from_str(source)?;
        let digest = Sha256::digest(source.as_bytes());
        let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        let networks: foldhash::HashMap<String, NetworkPolicy> = file
            .networks
            .into_iter()
            .map(|(name, policy)| (name.to_ascii_uppercase(), policy.normalized()))
            .collect();
        let mut aliases = foldhash::HashMap::default();
        for (code, policy) in &networks {
            for alias in &policy.aliases {
                let alias = alias.to_ascii_uppercase();
                if networks.contains_key(&alias) {
                    return Err(RulesError::Invalid(format!(
                        "network {code}: alias {alias} is another network's code"
                    )));
                }
                if let Some(other) = aliases.insert(alias.clone(), code.clone()) {
                    return Err(RulesError::Invalid(format!(
                        "alias {alias} names both {other} and {code}"
                    )));
                }
            }
        }
        let triage = match file.triage {
            Some(triage) => triage,
            None => shipped_triage()?,
        };
        let service_levels = match file.service_levels {
            Some(levels) => levels,
            None => service_levels::shipped()?,
        };
        let time_zones = time_zones(file.time_zones, &triage)?;
        let rules = Self {
            time_zones,
            service_levels: ServiceLevels::new(&service_levels).map_err(RulesError::Invalid)?,
            version: format!("{}+{hash}", file.version).into(),
            settings: file.settings,
            fallback: file.fallback.normalized(),
            networks,
            aliases,
            triage: Arc::new(TriagePolicy::new(triage).map_err(RulesError::Invalid)?),
        };
        rules.validate()?;
        Ok(rules)
    }

    /// The rules shipped with paydiag.
    pub fn shipped() -> Self {
        // The shipped file is covered by a test; failing here would be a build defect.
        Self::parse(DEFAULT_RULES).unwrap_or_else(|e| panic!("shipped rules are invalid: {e}"))
    }

    fn validate(&self) -> Result<(), RulesError> {
        if !valid_stall_factor(self.settings.stall_factor) {
            return Err(RulesError::Invalid(
                "settings.stall_factor must be >= 1".into(),
            ));
        }
        for (name, action) in [
            ("below_minimum_action", self.settings.below_minimum_action),
            (
                "unsupported_asset_action",
                self.settings.unsupported_asset_action,
            ),
        ] {
            if !RECOVERY_ACTIONS.contains(&action) {
                return Err(RulesError::Invalid(format!(
                    "settings.{name} must be contact_support or request_recovery"
                )));
            }
        }
        let all = std::iter::once(("fallback", &self.fallback))
            .chain(self.networks.iter().map(|(n, p)| (n.as_str(), p)));
        for (name, policy) in all {
            validate_policy(name, policy)?;
        }
        Ok(())
    }

    /// Identifies this rules file: its declared version and a hash of its bytes.
    pub fn version(&self) -> &Arc<str> {
        &self.version
    }

    /// The tunables.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// How tickets are triaged.
    pub fn triage(&self) -> &TriagePolicy {
        &self.triage
    }

    /// The time zone `locale`'s readers see moments in, and their tickets are read in, when a
    /// request names none.
    pub fn time_zone(&self, locale: Locale) -> Tz {
        self.time_zones.of(locale)
    }

    /// Where and how soon the customer hears back when `action` is the next step, if configured.
    pub fn service_level(&self, action: Action) -> Option<&ServiceLevel> {
        self.service_levels.get(action)
    }

    /// The policy for `network` (upper-case), or the fallback.
    pub fn policy(&self, network: &str) -> PolicyRef<'_> {
        match self.networks.get(network) {
            Some(policy) => PolicyRef {
                policy,
                fallback: false,
            },
            None => PolicyRef {
                policy: &self.fallback,
                fallback: true,
            },
        }
    }

    /// The network code `name` (upper-case) stands for: itself, or the network it is an alias of.
    pub fn network_code<'n>(&'n self, name: &'n str) -> &'n str {
        self.aliases.get(name).map_or(name, String::as_str)
    }

    /// Every network with a policy of its own, by code.
    pub fn networks(&self) -> Vec<(&str, &NetworkPolicy)> {
        let mut networks: Vec<(&str, &NetworkPolicy)> = self
            .networks
            .iter()
            .map(|(code, policy)| (code.as_str(), policy))
            .collect();
        networks.sort_unstable_by_key(|(code, _)| *code);
        networks
    }

    /// The stall factor of `policy`, or the default.
    pub fn stall_factor(&self, policy: &NetworkPolicy) -> f64 {
        policy.stall_factor.unwrap_or(self.settings.stall_factor)
    }
}

/// The default zones of `section`; without one, the shipped file's, changed by the zones the
/// triage section of a rules file written before `[time_zones]` names.
fn time_zones(
    section: Option<TimeZonesFile>,
    triage: &TriageFile,
) -> Result<DefaultZones, RulesError> {
    let legacy = (
        triage.chinese_time_zone.as_deref(),
        triage.default_time_zone.as_deref(),
    );
    let zones = match (section, legacy) {
        (Some(section), (None, None)) => DefaultZones::new(&section),
        (Some(_), _) => Err(
            "triage.chinese_time_zone and triage.default_time_zone are replaced \
             by [time_zones] (a zone per locale): remove them"
                .to_owned(),
        ),
        (None, (chinese, other)) => {
            #[derive(Deserialize)]
            struct OnlyTimeZones {
                time_zones: TimeZonesFile,
            }
            let shipped = toml::from_str::<OnlyTimeZones>(DEFAULT_RULES)?.time_zones;
            let shipped = DefaultZones::new(&shipped).map_err(RulesError::Invalid)?;
            DefaultZones::from_triage(&shipped, chinese, other)
        }
    };
    zones.map_err(RulesError::Invalid)
}

/// The shipped rules file's `[triage]` section.
fn shipped_triage() -> Result<TriageFile, RulesError> {
    #[derive(Deserialize)]
    struct OnlyTriage {
        triage: TriageFile,
    }
    let shipped: toml::Table = toml::from_str(DEFAULT_RULES)?;
    let triage = toml::Table::from_iter(
        shipped
            .get("triage")
            .map(|t| ("triage".to_owned(), t.clone())),
    );
    Ok(triage
        .try_into::<OnlyTriage>()
        .map_err(RulesError::Parse)?
        .triage)
}

fn validate_policy(name: &str, policy: &NetworkPolicy) -> Result<(), RulesError> {
    let invalid = |what: &str| Err(RulesError::Invalid(format!("network {name}: {what}")));
    match (
        policy.required_confirmations,
        policy.block_interval,
        policy.processing_time,
    ) {
        (n, Some(interval), None) if n > 0 && !interval.is_zero() => {}
        (0, None, Some(time)) if !time.is_zero() => {}
        _ => {
            return invalid(
                "set either required_confirmations > 0 with a non-zero block_interval, \
                 or a non-zero processing_time",
            );
        }
    }
    if policy.business_days && policy.processing_time.is_none() {
        return invalid("business_days applies only to rails with a processing_time");
    }
    if !policy.holidays.is_empty() && !policy.business_days {
        return invalid("holidays apply only to rails with business_days");
    }
    if policy.assets.as_ref().is_some_and(Vec::is_empty) {
        return invalid("assets must name at least one asset (leave it out to take every asset)");
    }
    if let Some(stray) = policy
        .min_deposit
        .keys()
        .find(|asset| !policy.supports(asset))
    {
        return invalid(&format!(
            "min_deposit names {stray}, which is not among the network's assets"
        ));
    }
    match policy.stall_factor {
        Some(f) if !valid_stall_factor(f) => invalid("stall_factor must be >= 1"),
        _ => Ok(()),
    }
}

/// Whether `f` can scale an expected time into a stall bound: at least 1, and not NaN.
fn valid_stall_factor(f: f64) -> bool {
    f >= 1.0
}

/// `std` duration to chrono, saturating (rules files hold small durations).
pub fn to_delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_name_networks_and_may_name_only_one() {
        let shipped = RuleSet::shipped();
        assert_eq!(shipped.network_code("TRC20"), "TRON");
        assert_eq!(shipped.network_code("ERC20"), "ETH");
        assert_eq!(shipped.network_code("ETH"), "ETH");
        assert_eq!(shipped.network_code("DOGE"), "DOGE");
        let with = |aliases: &str| {
            DEFAULT_RULES.replacen(
                "[networks.CARD]\n",
                &format!("[networks.CARD]\naliases = {aliases}\n"),
                1,
            )
        };
        for (aliases, says) in [
            (r#"["ERC20"]"#, "alias ERC20 names both"),
            (r#"["sepa"]"#, "alias SEPA is another network's code"),
        ] {
            let refused = RuleSet::parse(&with(aliases)).expect_err(aliases);
            assert!(refused.to_string().contains(says), "{refused}");
        }
    }

    /// The shipped rules with `line` added to the CARD rail's policy.
    fn with_card(line: &str) -> String {
        DEFAULT_RULES.replacen(
            "[networks.CARD]\n",
            &format!("[networks.CARD]\n{line}\n"),
            1,
        )
    }

    /// The zone of each locale, by tag.
    fn zones(rules: &RuleSet) -> Vec<(&'static str, &'static str)> {
        crate::i18n::Catalog::locales()
            .map(|l| (l.tag(), rules.time_zone(l).name()))
            .collect()
    }

    /// The shipped rules file, its `[time_zones]` section replaced by `section`.
    fn with_time_zones(section: &str) -> String {
        let start = DEFAULT_RULES
            .find("[time_zones]\n")
            .expect("a time zones section");
        let end = start + DEFAULT_RULES[start..].find("\n\n").expect("its end");
        format!(
            "{}{section}{}",
            &DEFAULT_RULES[..start],
            &DEFAULT_RULES[end..]
        )
    }

    #[test]
    fn a_network_takes_the_assets_it_lists_in_any_case_or_every_asset_without_a_list() {
        let shipped = RuleSet::shipped();
        let tron = shipped.policy("TRON").policy;
        assert!(tron.supports("USDT") && tron.supports("TRX"));
        assert!(!tron.supports("USDC"));
        assert!(shipped.policy("INTERNAL").policy.supports("ANYTHING"));
        let lower = DEFAULT_RULES.replacen(
            r#"assets = ["TRX", "USDT"]"#,
            r#"assets = ["trx", "usdt"]"#,
            1,
        );
        let rules = RuleSet::parse(&lower).expect("loads");
        assert!(rules.policy("TRON").policy.supports("USDT"));
        let nothing = DEFAULT_RULES.replacen(
            "[networks.INTERNAL]\n",
            "[networks.INTERNAL]\nassets = []\n",
            1,
        );
        let none = RuleSet::parse(&nothing).expect_err("takes nothing");
        assert!(
            none.to_string()
                .contains("network INTERNAL: assets must name at least one asset"),
            "{none}"
        );
        let refused = RuleSet::parse(&DEFAULT_RULES.replacen(
            r#"unsupported_asset_action = "request_recovery""#,
            r#"unsupported_asset_action = "none""#,
            1,
        ))
        .expect_err("none recovers nothing");
        assert!(
            refused
                .to_string()
                .contains("settings.unsupported_asset_action must be contact_support or"),
            "{refused}"
        );
    }

    #[test]
    fn a_rail_closes_on_the_holidays_its_calendar_lists_which_are_toml_dates() {
        let shipped = RuleSet::shipped();
        let sepa = &shipped.policy("SEPA").policy.holidays;
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        // TARGET2's closing days, 2025 to 2027.
        let mut target2 = Vec::new();
        for (year, good_friday, easter_monday) in [
            (2025, date(2025, 4, 18), date(2025, 4, 21)),
            (2026, date(2026, 4, 3), date(2026, 4, 6)),
            (2027, date(2027, 3, 26), date(2027, 3, 29)),
        ] {
            target2.extend([
                date(year, 1, 1),
                good_friday,
                easter_monday,
                date(year, 5, 1),
                date(year, 12, 25),
                date(year, 12, 26),
            ]);
        }
        assert_eq!(sepa.dates(), target2);
        assert!(shipped.policy("SWIFT").policy.holidays.is_empty());
        let swift = |line: &str| {
            DEFAULT_RULES.replacen(
                "[networks.SWIFT]\n",
                &format!("[networks.SWIFT]\n{line}\n"),
                1,
            )
        };
        let rules = RuleSet::parse(&swift("holidays = [2026-12-24, 2026-12-24]")).expect("loads");
        assert_eq!(
            rules.policy("SWIFT").policy.holidays.dates(),
            [date(2026, 12, 24)]
        );
        for (rules, says) in [
            (
                swift("holidays = [2026-12-24T00:00:00Z]"),
                "holiday 2026-12-24T00:00:00Z is not a date such as 2026-04-03",
            ),
            (swift(r#"holidays = ["2026-12-24"]"#), "invalid type"),
            (
                with_card("holidays = [2026-12-24]"),
                "network CARD: holidays apply only to rails with business_days",
            ),
        ] {
            let refused = RuleSet::parse(&rules).expect_err(says);
            assert!(refused.to_string().contains(says), "{refused}");
        }
    }

    #[test]
    fn every_locale_has_its_readers_zone_and_one_the_rules_do_not_name_has_utc() {
        assert_eq!(
            zones(&RuleSet::shipped()),
            [
                ("en", "UTC"),
                ("zh-CN", "Asia/Shanghai"),
                ("zh-Hant", "Asia/Taipei")
            ]
        );
        let only = RuleSet::parse(&with_time_zones("[time_zones]\nzh-CN = \"Asia/Urumqi\""));
        for (tag, zone) in zones(&only.expect("valid")) {
            let want = if tag == "zh-CN" { "Asia/Urumqi" } else { "UTC" };
            assert_eq!(zone, want, "{tag}");
        }
        let tags: Vec<&str> = zones(&RuleSet::shipped()).iter().map(|z| z.0).collect();
        let no_such_locale = format!(
            "time_zones.fr: no such locale; the locales are {}",
            tags.join(", ")
        );
        for (section, says) in [
            (
                "[time_zones]\nfr = \"Europe/Paris\"",
                no_such_locale.as_str(),
            ),
            (
                "[time_zones]\nzh-CN = \"Beijing\"",
                "time_zones.zh-CN: unknown time zone \"Beijing\"",
            ),
        ] {
            let refused = RuleSet::parse(&with_time_zones(section)).expect_err(section);
            assert!(refused.to_string().contains(says), "{refused}");
        }
    }

    #[test]
    fn minimum_deposits_are_positive_decimal_strings_per_asset_in_any_case() {
        let shipped = RuleSet::shipped();
        let btc = shipped.policy("BTC").policy;
        assert_eq!(btc.min_deposit("BTC"), Some(Decimal::new(1, 4)));
        assert_eq!(btc.min_deposit("USDT"), None);
        let card = RuleSet::parse(&with_card(r#"min_deposit = { eur = "5.00" }"#)).expect("loads");
        assert_eq!(
            card.policy("CARD").policy.min_deposit("EUR"),
            Some(Decimal::new(500, 2))
        );
        for (line, says) in [
            (r#"min_deposit = { EUR = 5 }"#, "invalid type"),
            (
                r#"min_deposit = { EUR = "0" }"#,
                r#""0" is not a positive decimal string"#,
            ),
            (
                r#"min_deposit = { EUR = "-1" }"#,
                "is not a positive decimal string",
            ),
            (
                r#"min_deposit = { EUR = "ten" }"#,
                "is not a positive decimal string",
            ),
        ] {
            let refused = RuleSet::parse(&with_card(line)).expect_err(line);
            assert!(refused.to_string().contains(says), "{line}: {refused}");
        }
        let stray = with_card(r#"min_deposit = { USDT = "1" }"#);
        let refused = RuleSet::parse(&stray).expect_err("CARD does not take USDT");
        assert_eq!(
            refused.to_string(),
            "rules file is not valid: network CARD: min_deposit names USDT, which is not among \
             the network's assets"
        );
        let wait = DEFAULT_RULES.replacen(
            r#"below_minimum_action = "contact_support""#,
            r#"below_minimum_action = "wait""#,
            1,
        );
        let refused = RuleSet::parse(&wait).expect_err("wait recovers nothing");
        assert_eq!(
            refused.to_string(),
            "rules file is not valid: settings.below_minimum_action must be contact_support or \
             request_recovery"
        );
    }

    #[test]
    fn a_rules_file_written_before_time_zones_keeps_the_zones_its_triage_section_named() {
        let without = with_time_zones("");
        assert_eq!(
            zones(&RuleSet::parse(&without).expect("valid")),
            zones(&RuleSet::shipped()),
            "no section: the shipped zones"
        );
        let legacy = without.replacen(
            "[triage]\n",
            "[triage]\nchinese_time_zone = \"Asia/Hong_Kong\"\ndefault_time_zone = \"Europe/Berlin\"\n",
            1,
        );
        for (tag, zone) in zones(&RuleSet::parse(&legacy).expect("valid")) {
            let want = if tag.starts_with("zh") {
                "Asia/Hong_Kong"
            } else {
                "Europe/Berlin"
            };
            assert_eq!(zone, want, "{tag}");
        }
        let both = DEFAULT_RULES.replacen(
            "[triage]\n",
            "[triage]\nchinese_time_zone = \"Asia/Shanghai\"\n",
            1,
        );
        let refused = RuleSet::parse(&both).expect_err("two places");
        assert!(
            refused
                .to_string()
                .contains("replaced by [time_zones] (a zone per locale): remove them"),
            "{refused}"
        );
    }
}
