//! Where the customer reaches the team for each action, and how soon they hear back: the rules
//! file's `[service_levels]` section.
//!
//! Every action support or operations acts on needs a level (the customer message states it);
//! an action the customer acts on may have one (the agent sees where to send them); an action
//! nobody acts on may not.

use super::{
    diagnosis::Action,
    next_step::{Actor, Channel, ResponseTime, ServiceLevel},
    policy::DEFAULT_RULES,
};
use serde::Deserialize;
use std::{collections::HashMap, time::Duration};

/// One action's level as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelEntry {
    /// Where the customer reaches the team.
    pub channel: Channel,
    /// The soonest an answer comes; unset = at once.
    #[serde(default, with = "humantime_serde")]
    pub min: Option<Duration>,
    /// The latest an answer should come.
    #[serde(with = "humantime_serde")]
    pub max: Duration,
    /// Whether `min` and `max` are whole days counted Monday to Friday.
    #[serde(default)]
    pub business_days: bool,
}

/// The section as written, by action (`contact_support = { … }`).
pub type ServiceLevelsFile = HashMap<Action, LevelEntry>;

/// The checked service levels.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceLevels {
    /// A handful of entries: a scan is as fast as a hash.
    levels: Vec<(Action, ServiceLevel)>,
}

const MINUTE: u64 = 60;
const DAY: u64 = 24 * 60 * MINUTE;

impl ServiceLevels {
    /// Checks the section as written; the error names the entry and what is wrong.
    pub fn new(file: &ServiceLevelsFile) -> Result<Self, String> {
        let mut levels = Vec::with_capacity(file.len());
        for &action in Action::ALL {
            let name = action.name();
            let actor = action.actor();
            match file.get(&action) {
                None if actor.is_staff() => {
                    return Err(format!(
                        "service_levels.{name} is missing: {} acts on {name}, so the customer \
                         must be told where and how soon they hear back (set channel and max)",
                        actor_name(actor)
                    ));
                }
                None => {}
                Some(_) if actor == Actor::None => {
                    return Err(format!(
                        "service_levels.{name}: nobody acts on {name}, so there is no answer \
                         to wait for; remove it"
                    ));
                }
                Some(entry) => levels.push((action, level(&name, entry)?)),
            }
        }
        Ok(Self { levels })
    }

    /// The level of `action`, if it has one.
    pub fn get(&self, action: Action) -> Option<&ServiceLevel> {
        self.levels
            .iter()
            .find_map(|(a, level)| (*a == action).then_some(level))
    }
}

/// The shipped rules file's section, for rules files written before service levels.
pub fn shipped() -> Result<ServiceLevelsFile, toml::de::Error> {
    #[derive(Deserialize)]
    struct OnlyServiceLevels {
        service_levels: ServiceLevelsFile,
    }
    Ok(toml::from_str::<OnlyServiceLevels>(DEFAULT_RULES)?.service_levels)
}

fn level(name: &str, entry: &LevelEntry) -> Result<ServiceLevel, String> {
    let min = entry.min.unwrap_or_default();
    let max = entry.max;
    if max.is_zero() {
        return Err(format!("service_levels.{name}: max must be more than 0"));
    }
    if min > max {
        return Err(format!(
            "service_levels.{name}: min ({}) is more than max ({})",
            humantime::format_duration(min),
            humantime::format_duration(max)
        ));
    }
    let whole = |unit: u64| {
        [min, max]
            .iter()
            .all(|d| d.as_nanos() % u128::from(unit * 1_000_000_000) == 0)
    };
    if entry.business_days && !whole(DAY) {
        return Err(format!(
            "service_levels.{name}: with business_days, min and max must be whole days (e.g. \"3d\")"
        ));
    }
    if !whole(MINUTE) {
        return Err(format!(
            "service_levels.{name}: min and max must be whole minutes (customer texts show no seconds)"
        ));
    }
    Ok(ServiceLevel {
        channel: entry.channel,
        response: ResponseTime {
            min,
            max,
            business_days: entry.business_days,
        },
    })
}

fn actor_name(actor: Actor) -> &'static str {
    match actor {
        Actor::None => "nobody",
        Actor::Customer => "the customer",
        Actor::Support => "support",
        Actor::Operations => "operations",
    }
}
