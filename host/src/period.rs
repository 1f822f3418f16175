//! How a policy's number of days is said to a user: whole months when it is a multiple of 30
//! (the regulation's "6 tháng" is 180 days), days otherwise.

use matkhau_abi::Locale;

/// `days` in words: `6 tháng` / `6 months`, `45 ngày` / `45 days`, `1 day`.
pub fn days(days: u32, locale: Locale) -> String {
    let months = days / 30;
    match (locale, days > 0 && days.is_multiple_of(30)) {
        (Locale::Vi, true) => format!("{months} tháng"),
        (Locale::Vi, false) => format!("{days} ngày"),
        (Locale::En, true) if months == 1 => "1 month".to_string(),
        (Locale::En, true) => format!("{months} months"),
        (Locale::En, false) if days == 1 => "1 day".to_string(),
        (Locale::En, false) => format!("{days} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::days;
    use matkhau_abi::Locale::{En, Vi};

    #[test]
    fn months_and_days() {
        assert_eq!(days(180, Vi), "6 tháng");
        assert_eq!(days(180, En), "6 months");
        assert_eq!(days(30, En), "1 month");
        assert_eq!(days(45, Vi), "45 ngày");
        assert_eq!(days(1, En), "1 day");
        assert_eq!(days(0, En), "0 days");
    }
}
