//! Time periods for `--by date`: a statement's `date` cell → `2025-11-23`, `2025-W47` or
//! `2025-11`.

use std::fmt;
use std::str::FromStr;

/// The period label of a statement whose date is empty or cannot be read.
pub const UNKNOWN_PERIOD: &str = "unknown";

/// The length of the periods that `--by date` groups statements into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Period {
    /// One calendar day: `2025-11-23`.
    Day,
    /// One ISO 8601 week (Monday to Sunday, numbered within its ISO year): `2025-W47`.
    Week,
    /// One calendar month: `2025-11`. The default.
    #[default]
    Month,
}

impl Period {
    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// The period a date falls in, or [`UNKNOWN_PERIOD`].
    ///
    /// The date must start with an ISO calendar date, `YYYY-MM-DD`; anything after it (a
    /// time, `T10:00:00Z`) is ignored. Every other form, an empty cell included, is unknown.
    pub fn label(self, date: &str) -> String {
        let Some((y, m, d)) = parse_ymd(date.trim()) else {
            return UNKNOWN_PERIOD.to_owned();
        };
        match self {
            Period::Day => format!("{y:04}-{m:02}-{d:02}"),
            Period::Month => format!("{y:04}-{m:02}"),
            Period::Week => {
                let (wy, w) = iso_week(y, m, d);
                format!("{wy:04}-W{w:02}")
            }
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown `--period` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown period `{0}` (expected day, week or month)")]
pub struct ParsePeriodError(pub String);

impl FromStr for Period {
    type Err = ParsePeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" => Ok(Period::Day),
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            _ => Err(ParsePeriodError(s.to_owned())),
        }
    }
}

/// `YYYY-MM-DD` at the start of `s`, followed by nothing, `T` or a space; a real date only.
fn parse_ymd(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if b.len() > 10 && !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &b[r];
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        part.iter()
            .try_fold(0u32, |acc, c| Some(acc * 10 + u32::from(c - b'0')))
    };
    let y = digits(0..4)?;
    let m = digits(5..7)?;
    let d = digits(8..10)?;
    let y = i32::try_from(y).ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some((y, m, d))
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

/// Day of the year, 1-based.
fn ordinal(y: i32, m: u32, d: u32) -> u32 {
    (1..m).map(|mm| days_in_month(y, mm)).sum::<u32>() + d
}

/// ISO weekday, Monday = 1 … Sunday = 7 (Sakamoto's method).
fn weekday(y: i32, m: u32, d: u32) -> u32 {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    let w = (y + y / 4 - y / 100 + y / 400 + T[(m - 1) as usize] + d as i32).rem_euclid(7);
    // w: 0 = Sunday.
    if w == 0 {
        7
    } else {
        w as u32
    }
}

/// The number of ISO weeks in year `y` (52 or 53).
fn weeks_in_year(y: i32) -> u32 {
    // A year has 53 weeks when it starts on a Thursday, or on a Wednesday in a leap year.
    let jan1 = weekday(y, 1, 1);
    if jan1 == 4 || (jan1 == 3 && is_leap(y)) {
        53
    } else {
        52
    }
}

/// The ISO week-numbering year and week of a date.
fn iso_week(y: i32, m: u32, d: u32) -> (i32, u32) {
    let w = (ordinal(y, m, d) as i32 - weekday(y, m, d) as i32 + 10) / 7;
    if w < 1 {
        (y - 1, weeks_in_year(y - 1))
    } else if w as u32 > weeks_in_year(y) {
        (y + 1, 1)
    } else {
        (y, w as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let cases = [
            // (date, day, week, month)
            ("2025-11-23", "2025-11-23", "2025-W47", "2025-11"),
            ("2025-11-24T08:00:00Z", "2025-11-24", "2025-W48", "2025-11"),
            ("2014-03-11 10:00", "2014-03-11", "2014-W11", "2014-03"),
            // ISO week years that differ from the calendar year.
            ("2021-01-03", "2021-01-03", "2020-W53", "2021-01"),
            ("2021-01-04", "2021-01-04", "2021-W01", "2021-01"),
            ("2024-12-30", "2024-12-30", "2025-W01", "2024-12"),
            ("2026-12-31", "2026-12-31", "2026-W53", "2026-12"),
            ("2008-12-29", "2008-12-29", "2009-W01", "2008-12"),
            ("2010-01-03", "2010-01-03", "2009-W53", "2010-01"),
            ("2024-02-29", "2024-02-29", "2024-W09", "2024-02"),
            (" 2024-02-01 ", "2024-02-01", "2024-W05", "2024-02"),
            // Unknown.
            ("", "unknown", "unknown", "unknown"),
            ("2023-02-29", "unknown", "unknown", "unknown"),
            ("2023-13-01", "unknown", "unknown", "unknown"),
            ("11/23/2025", "unknown", "unknown", "unknown"),
            ("2025-11", "unknown", "unknown", "unknown"),
            ("2025-11-235", "unknown", "unknown", "unknown"),
            ("Nov 23, 2025", "unknown", "unknown", "unknown"),
        ];
        for (date, day, week, month) in cases {
            assert_eq!(Period::Day.label(date), day, "{date:?}");
            assert_eq!(Period::Week.label(date), week, "{date:?}");
            assert_eq!(Period::Month.label(date), month, "{date:?}");
        }
    }

    #[test]
    fn parses_names() {
        assert_eq!("week".parse::<Period>(), Ok(Period::Week));
        assert_eq!("Month".parse::<Period>(), Ok(Period::Month));
        assert_eq!("day".parse::<Period>(), Ok(Period::Day));
        assert!("year".parse::<Period>().is_err());
        assert_eq!(Period::default(), Period::Month);
        assert_eq!(Period::Week.to_string(), "week");
    }
}
