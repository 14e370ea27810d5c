//! The time zone each locale's readers get when a request names none: the rules file's
//! `[time_zones]` section, the one place that says it (Diagnose shows moments in it, and
//! TriageTicket also reads a ticket's times in it).

use super::{Catalog, Locale};
use chrono_tz::Tz;
use std::collections::HashMap;

/// The section as written: locale tag (`zh-CN`) to IANA time zone name (`Asia/Shanghai`).
pub type TimeZonesFile = HashMap<String, String>;

/// The checked section: per locale of the catalog, its default zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultZones {
    /// By locale index; UTC where the file names none.
    zones: Vec<Tz>,
}

impl DefaultZones {
    /// Checks the section: every key a locale's tag, every value an IANA time zone name. A
    /// locale the section does not name shows UTC.
    pub fn new(file: &TimeZonesFile) -> Result<Self, String> {
        let mut zones = vec![Tz::UTC; Catalog::locales().count()];
        for (tag, name) in file {
            let locale = Catalog::locales().find(|l| l.tag() == tag).ok_or_else(|| {
                let tags: Vec<&str> = Catalog::locales().map(Locale::tag).collect();
                format!(
                    "time_zones.{tag}: no such locale; the locales are {}",
                    tags.join(", ")
                )
            })?;
            zones[locale.index] = name.parse().map_err(|_| {
                format!("time_zones.{tag}: unknown time zone {name:?} (an IANA name, e.g. \"Asia/Shanghai\")")
            })?;
        }
        Ok(Self { zones })
    }

    /// The zones of rules files written before `[time_zones]`: their triage section's zone of
    /// tickets written in Chinese for the Chinese locales, its zone of other tickets for the
    /// rest; each unset one keeps `shipped`'s.
    pub fn from_triage(
        shipped: &Self,
        chinese: Option<&str>,
        other: Option<&str>,
    ) -> Result<Self, String> {
        let zone = |key: &str, name: &str| {
            name.parse::<Tz>()
                .map_err(|_| format!("triage.{key}: unknown time zone {name:?}"))
        };
        let chinese = chinese.map(|n| zone("chinese_time_zone", n)).transpose()?;
        let other = other.map(|n| zone("default_time_zone", n)).transpose()?;
        let zones = Catalog::locales()
            .map(|locale| {
                let legacy = if locale.tag().starts_with("zh") {
                    chinese
                } else {
                    other
                };
                legacy.unwrap_or(shipped.zones[locale.index])
            })
            .collect();
        Ok(Self { zones })
    }

    /// The zone `locale`'s readers see moments in when they name none.
    pub fn of(&self, locale: Locale) -> Tz {
        self.zones[locale.index]
    }
}
