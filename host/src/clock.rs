//! Time as the host handles it: Unix seconds, the calendar year of a plug-in call, and the day
//! format of sweeps and reports.

/// Unix time now, in seconds.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Calendar year (UTC) of a Unix time in milliseconds; out-of-range times map to the extremes.
pub fn year_of(now_ms: i64) -> i32 {
    let secs = now_ms.div_euclid(1000);
    match time::OffsetDateTime::from_unix_timestamp(secs) {
        Ok(t) => t.year(),
        Err(_) if secs < 0 => i32::MIN,
        Err(_) => i32::MAX,
    }
}

/// A Unix time's day, `YYYY-MM-DD` (UTC).
pub fn day_of(at: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(at) {
        Ok(t) => format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        Err(_) => at.to_string(),
    }
}

/// The end of a term given by an operator: `YYYY-MM-DD` is the end of that day in Vietnam
/// (UTC+7: midnight of the next day there), Unix seconds are that moment.
pub fn parse_end(s: &str) -> Result<i64, String> {
    let start = parse_day(s)?;
    if s.parse::<i64>().is_ok() {
        return Ok(start);
    }
    Ok(start + 86_400 - 7 * 3_600)
}

/// A day or moment given by an operator: `YYYY-MM-DD` (midnight UTC) or Unix seconds.
pub fn parse_day(s: &str) -> Result<i64, String> {
    if let Ok(t) = s.parse::<i64>() {
        return Ok(t);
    }
    // The input is not quoted back: an answer never repeats what the request held.
    let bad = || "expected YYYY-MM-DD or Unix seconds".to_string();
    let mut parts = s.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let (y, m, d) = (
        y.parse::<i32>().map_err(|_| bad())?,
        m.parse::<u8>().map_err(|_| bad())?,
        d.parse::<u8>().map_err(|_| bad())?,
    );
    let month = time::Month::try_from(m).map_err(|_| bad())?;
    let date = time::Date::from_calendar_date(y, month, d).map_err(|_| bad())?;
    Ok(date.midnight().assume_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    #[test]
    fn days() {
        // 30 June 2027 ends at midnight in Hà Nội, 17:00 UTC.
        assert_eq!(super::parse_end("2027-06-30"), Ok(1_814_374_800));
        assert_eq!(super::parse_end("1814374800"), Ok(1_814_374_800));
        assert!(super::parse_end("2027-02-30").is_err());
        assert_eq!(super::parse_day("1970-01-02"), Ok(86_400));
        assert_eq!(super::parse_day("1700000000"), Ok(1_700_000_000));
        assert!(super::parse_day("2026-02-30").is_err());
        assert!(super::parse_day("soon").is_err());
        assert_eq!(super::day_of(86_400), "1970-01-02");
        assert_eq!(super::year_of(1_767_225_600_000), 2026);
    }
}
