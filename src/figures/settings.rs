//! What the figures are read against: the 2025–2027 goals, the published
//! baseline, and the labor-force setting the per-10,000 figure divides by.

use serde::Serialize;

pub const GOAL_SUBSIDIZED: u64 = 80_000;
pub const GOAL_SKILLED: u64 = 60_000;
pub const GOAL_HIGH_SKILL: u64 = 15_000;
pub const GOAL_PER_10K: f64 = 1_200.0;
/// Published baseline, January 2024.
pub const BASELINE_SKILLED: u64 = 657_000;
pub const BASELINE_HIGH_SKILL: u64 = 226_300;
pub const PUBLISHED_PER_10K: f64 = 1_132.0;
/// 226,300 ÷ 1,132 × 10,000 ≈ 2.0 million workers.
pub const DEFAULT_LABOR_FORCE: u64 = 2_000_000;
/// The meta key of the labor-force setting.
pub const META_LABOR_FORCE: &str = "labor_force";
pub const MAX_LABOR_FORCE: u64 = 100_000_000;

/// The smallest labor force accepted: the skilled talents of the city's
/// baseline (its pack's `[baseline] skilled`, 657,000 for Zhenjiang) are
/// workers, so the labor force holds them.
pub fn min_labor_force() -> u64 {
    crate::domain::catalog::current().baseline.skilled
}

/// What the figures depend on besides the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// Workers in the city (for the per-10,000 figure).
    pub labor_force: u64,
}

impl Default for Settings {
    fn default() -> Self {
        // The city's own (its pack's baseline); Zhenjiang's is DEFAULT_LABOR_FORCE.
        Settings {
            labor_force: crate::domain::catalog::current().baseline.labor_force,
        }
    }
}

/// A labor-force value that is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "labor force '{value}' ({place}) is not accepted: expected a whole number of workers from \
     {min} to {MAX_LABOR_FORCE}, e.g. {example} (the city's baseline labor force)"
)]
pub struct SettingError {
    pub value: String,
    pub place: String,
    /// The smallest accepted ([`min_labor_force`] when it was refused).
    pub min: u64,
    /// The city pack's baseline labor force, as an example.
    pub example: u64,
}

impl Settings {
    /// Parse a labor force ("2000000", "2,000,000" or "2_000_000").
    pub fn parse_labor_force(text: &str, place: &str) -> Result<u64, SettingError> {
        let digits: String = text.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
        let min = min_labor_force();
        match digits.parse::<u64>() {
            Ok(n) if (min..=MAX_LABOR_FORCE).contains(&n) => Ok(n),
            _ => Err(SettingError {
                value: text.to_string(),
                place: place.to_string(),
                min,
                example: crate::domain::catalog::current().baseline.labor_force,
            }),
        }
    }

    /// The settings kept in the database's meta tree (`None`: the default).
    pub fn from_meta(labor_force: Option<&str>, place: &str) -> Result<Settings, SettingError> {
        Ok(match labor_force {
            None => Settings::default(),
            Some(v) => Settings {
                labor_force: Self::parse_labor_force(v, place)?,
            },
        })
    }

    /// High-skill talents per 10,000 workers for a number of high-skill talents.
    pub fn per_10k(&self, high_skill: u64) -> f64 {
        high_skill as f64 * 10_000.0 / self.labor_force.max(1) as f64
    }

    /// The baseline's high-skill talents per 10,000 workers.
    pub fn baseline_per_10k(&self) -> f64 {
        self.per_10k(crate::domain::catalog::current().baseline.high_skill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_labor_force_reproduces_the_published_rate() {
        let s = Settings::default();
        assert_eq!(s.baseline_per_10k(), 1_131.5);
        assert_eq!(s.baseline_per_10k().round(), PUBLISHED_PER_10K);
    }

    #[test]
    fn labor_force_parsing_accepts_separators_and_names_the_range() {
        assert_eq!(Settings::parse_labor_force("2,100,000", "x"), Ok(2_100_000));
        assert_eq!(Settings::parse_labor_force(" 2_000_000 ", "x"), Ok(2_000_000));
        let e = Settings::parse_labor_force("2e6", "--labor-force").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("'2e6'") && msg.contains("--labor-force"), "{msg}");
        assert!(msg.contains("657000 to 100000000"), "{msg}");
        assert!(Settings::parse_labor_force("1000", "x").is_err());
        assert_eq!(
            Settings::from_meta(None, "x"),
            Ok(Settings {
                labor_force: DEFAULT_LABOR_FORCE
            })
        );
        assert!(Settings::from_meta(Some("lots"), "meta").is_err());
    }
}
