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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::policy::RuleSet;

    /// The shipped rules with the line of `action`'s level replaced by `line`.
    fn with_level(action: &str, line: &str) -> String {
        let prefix = format!("\n{action} = {{");
        let start = DEFAULT_RULES.find(&prefix).expect("the shipped level") + 1;
        let end = start + DEFAULT_RULES[start..].find('\n').expect("its line end");
        format!("{}{line}{}", &DEFAULT_RULES[..start], &DEFAULT_RULES[end..])
    }

    fn refusal(source: &str) -> String {
        RuleSet::parse(source)
            .expect_err("refused")
            .to_string()
            .replace("rules file is not valid: ", "")
    }

    #[test]
    fn each_level_is_read_as_written() {
        let rules = RuleSet::shipped();
        let level = rules.service_level(Action::Escalate).expect("escalate");
        assert_eq!(level.channel, Channel::Email);
        assert_eq!(
            level.response,
            ResponseTime {
                min: Duration::from_secs(DAY),
                max: Duration::from_secs(3 * DAY),
                business_days: true,
            }
        );
        let chat = rules.service_level(Action::ContactSupport).expect("chat");
        assert_eq!(chat.response.min, Duration::ZERO);
        assert_eq!(rules.service_level(Action::Wait), None);
        assert_eq!(rules.service_level(Action::TopUpAndRetry), None);
    }

    #[test]
    fn a_rules_file_without_the_section_takes_the_shipped_levels() {
        let start = DEFAULT_RULES
            .find("\n[service_levels]")
            .expect("the section")
            + 1;
        let end = start + DEFAULT_RULES[start..].find("\n\n").expect("its end");
        let without = format!("{}{}", &DEFAULT_RULES[..start], &DEFAULT_RULES[end..]);
        let rules = RuleSet::parse(&without).expect("loads");
        let shipped = RuleSet::shipped();
        for &action in Action::ALL {
            assert_eq!(rules.service_level(action), shipped.service_level(action));
        }
    }

    #[test]
    fn a_level_that_cannot_be_told_to_a_customer_is_refused_naming_it() {
        for (action, line, says) in [
            (
                "escalate",
                r#"escalate = { channel = "email", max = "0s" }"#,
                "service_levels.escalate: max must be more than 0",
            ),
            (
                "escalate",
                r#"escalate = { channel = "email", min = "3d", max = "1d" }"#,
                "service_levels.escalate: min (3days) is more than max (1day)",
            ),
            (
                "escalate",
                r#"escalate = { channel = "email", max = "36h", business_days = true }"#,
                "service_levels.escalate: with business_days, min and max must be whole days (e.g. \"3d\")",
            ),
            (
                "contact_support",
                r#"contact_support = { channel = "in_app_chat", max = "90s" }"#,
                "service_levels.contact_support: min and max must be whole minutes (customer texts show no seconds)",
            ),
            (
                "check_reference",
                r#"wait = { channel = "in_app_chat", max = "10m" }"#,
                "service_levels.wait: nobody acts on wait, so there is no answer to wait for; remove it",
            ),
        ] {
            assert_eq!(refusal(&with_level(action, line)), says);
        }
    }

    #[test]
    fn unknown_channels_actions_and_fields_are_refused() {
        for (action, line, says) in [
            (
                "escalate",
                r#"escalate = { channel = "fax", max = "1d" }"#,
                "unknown variant `fax`",
            ),
            (
                "check_reference",
                r#"call_back = { channel = "hotline", max = "10m" }"#,
                "unknown variant `call_back`",
            ),
            (
                "escalate",
                r#"escalate = { channel = "email", max = "1d", within = "1d" }"#,
                "unknown field `within`",
            ),
        ] {
            let refused = refusal(&with_level(action, line));
            assert!(refused.contains(says), "{refused}");
        }
    }
}
