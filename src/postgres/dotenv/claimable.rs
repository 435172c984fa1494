//! The block `neon-new` writes for a claimable database, so that a project switching to
//! neon-edge gets the same file:
//!
//! ```text
//! DATABASE_URL=<pooled URL>
//! DATABASE_URL_DIRECT=<direct URL>
//! # Claimable DB expires at: Sat, 01 Feb 2026 12:00:00 GMT
//! # Claim it now to your account using the link below:
//! PUBLIC_POSTGRES_CLAIM_URL=<claim URL>
//! ```

use super::{Addition, DotEnv, DotEnvError};

/// The key the pooled connection string goes under unless `--key` says otherwise.
pub const DEFAULT_KEY: &str = "DATABASE_URL";
/// The prefix of the public claim-URL key unless `--prefix` says otherwise.
pub const DEFAULT_PREFIX: &str = "PUBLIC_";

/// The key the claim URL is written under for `prefix`: `{prefix}POSTGRES_CLAIM_URL`
/// (what `claim` looks up in the env file).
pub fn claim_url_key(prefix: &str) -> String {
    format!("{prefix}POSTGRES_CLAIM_URL")
}

/// What to write to a .env file for a freshly created claimable database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimableEnv {
    key: String,
    prefix: String,
    pooled_url: String,
    direct_url: String,
    expires_at: String,
    claim_url: String,
}

impl ClaimableEnv {
    /// The block for a database, under the default key and prefix. `expires_at` is the
    /// service's timestamp (RFC 3339, such as `2026-01-26T14:19:14.580Z`); it is written as
    /// a UTC date like `Mon, 26 Jan 2026 14:19:14 GMT`, or as given if it is not RFC 3339.
    pub fn new(
        pooled_url: impl Into<String>,
        direct_url: impl Into<String>,
        expires_at: impl Into<String>,
        claim_url: impl Into<String>,
    ) -> Self {
        ClaimableEnv {
            key: DEFAULT_KEY.to_string(),
            prefix: DEFAULT_PREFIX.to_string(),
            pooled_url: pooled_url.into(),
            direct_url: direct_url.into(),
            expires_at: expires_at.into(),
            claim_url: claim_url.into(),
        }
    }

    /// Writes the pooled URL under `key` (and the direct one under `{key}_DIRECT`).
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = key.into();
        self
    }

    /// Writes the claim URL under `{prefix}POSTGRES_CLAIM_URL`.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The key of the pooled connection string.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The key of the direct connection string: `{key}_DIRECT`.
    pub fn direct_key(&self) -> String {
        format!("{}_DIRECT", self.key)
    }

    /// The key of the claim URL: `{prefix}POSTGRES_CLAIM_URL`.
    pub fn claim_url_key(&self) -> String {
        claim_url_key(&self.prefix)
    }

    /// The three assignments, with the expiry comment before the claim URL.
    pub fn additions(&self) -> Vec<Addition> {
        let expires = format_utc_date(&self.expires_at).unwrap_or_else(|| self.expires_at.clone());
        vec![
            Addition::new(&self.key, &self.pooled_url),
            Addition::new(self.direct_key(), &self.direct_url),
            Addition::new(self.claim_url_key(), &self.claim_url)
                .with_comment(format!("Claimable DB expires at: {expires}"))
                .with_comment("Claim it now to your account using the link below:"),
        ]
    }

    /// `env`'s text with the block appended; refuses, like [`DotEnv::merge`], if any of
    /// the three keys is already set.
    pub fn merge_into(&self, env: &DotEnv) -> Result<String, DotEnvError> {
        env.merge(&self.additions())
    }
}

/// Formats an RFC 3339 timestamp as JavaScript's `Date.prototype.toUTCString` does
/// (`Sat, 01 Feb 2026 12:00:00 GMT`); `None` if it is not a valid RFC 3339 timestamp.
pub(super) fn format_utc_date(timestamp: &str) -> Option<String> {
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];

    let seconds = parse_rfc3339(timestamp)?;
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let weekday = WEEKDAYS.get(usize::try_from((days + 4).rem_euclid(7)).ok()?)?;
    let month_name = MONTHS.get(usize::try_from(month - 1).ok()?)?;
    Some(format!(
        "{weekday}, {day:02} {month_name} {year:04} {:02}:{:02}:{:02} GMT",
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    ))
}

/// Seconds since the Unix epoch for `YYYY-MM-DD(T| )HH:MM:SS[.fraction](Z|±HH:MM)`.
fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.iter().try_fold(0i64, |n, d| {
            n.checked_mul(10)?.checked_add(i64::from(d - b'0'))
        })
    };
    let punct = |i: usize, options: &[u8]| b.get(i).is_some_and(|c| options.contains(c));
    if !(punct(4, b"-")
        && punct(7, b"-")
        && punct(10, b"Tt ")
        && punct(13, b":")
        && punct(16, b":"))
    {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }

    let mut i = 19;
    if punct(i, b".") {
        i += 1;
        let digits = b
            .get(i..)?
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        i += digits;
    }
    let offset = match b.get(i..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), ..] if b.len() == i + 6 && punct(i + 3, b":") => {
            let (h, m) = (number(i + 1..i + 3)?, number(i + 4..i + 6)?);
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60)
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
