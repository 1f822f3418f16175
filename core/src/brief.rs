//! A verdict as a small screen shows it: one problem per cause (the user's name is one cause,
//! however many rules saw it) and at most three suggestions. The verdict itself stays complete;
//! this only chooses what to show of it, the same in every page that uses core.

use crate::{Message, Verdict};

/// Most suggestions shown.
pub const MAX_SUGGESTIONS: usize = 3;

/// What to show of a verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief<'a> {
    /// One problem per cause, most important first.
    pub problems: Vec<&'a Message>,
    /// At most [`MAX_SUGGESTIONS`], without repeats of the problems' advice.
    pub suggestions: Vec<&'a Message>,
}

/// The cause a problem code reports; codes of one cause say the same thing to the user.
fn cause(code: &str) -> &str {
    match code {
        "personal.name" | "vn.name" | "vn.name_year" | "zxcvbn.names" | "zxcvbn.common_names" => {
            "name"
        }
        "personal.birth_date" | "vn.date" | "vn.year" | "zxcvbn.dates" | "zxcvbn.recent_years" => {
            "date"
        }
        "personal.phone" | "vn.phone" => "phone",
        "personal.national_id" | "vn.national_id" => "national_id",
        "personal.social_insurance" | "vn.social_insurance" => "social_insurance",
        "personal.org_code" | "vn.facility_code" => "org_code",
        "breach.corpus" | "breach.reported" => "breach",
        "zxcvbn.repeats" | "zxcvbn.repeats_words" => "repeats",
        other => other,
    }
}

/// Suggestions that repeat what a broader one says.
fn covered_by_personal(code: &str) -> bool {
    matches!(
        code,
        "suggest.avoid_name_year" | "suggest.avoid_dates" | "suggest.avoid_years"
    )
}

/// The brief of `verdict`.
pub fn brief(verdict: &Verdict) -> Brief<'_> {
    let mut causes: Vec<&str> = Vec::new();
    let mut problems = Vec::new();
    for p in &verdict.problems {
        let c = cause(&p.code);
        if !causes.contains(&c) {
            causes.push(c);
            problems.push(p);
        }
    }
    // "Too easy to guess" says nothing more when a specific reason is shown.
    if problems.len() > 1 {
        problems.retain(|p| p.code != "strength.score");
    }
    let personal = verdict
        .suggestions
        .iter()
        .any(|s| s.code == "suggest.avoid_personal");
    let mut suggestions: Vec<&Message> = Vec::new();
    for s in &verdict.suggestions {
        if personal && covered_by_personal(&s.code) {
            continue;
        }
        if suggestions.iter().any(|t| t.message == s.message) {
            continue;
        }
        if suggestions.len() < MAX_SUGGESTIONS {
            suggestions.push(s);
        }
    }
    Brief {
        problems,
        suggestions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate, Context, Locale, Policy};

    #[test]
    fn one_message_per_cause() {
        let ctx = Context {
            full_name: Some("Nguyễn Văn Hùng".into()),
            date_of_birth: Some("1990-05-17".into()),
            ..Context::default()
        };
        let v = evaluate("Hung@17051990", &ctx, &Policy::default(), Locale::Vi);
        assert!(v.problems.len() >= 4, "{:?}", v.problems);
        let b = brief(&v);
        let codes: Vec<&str> = b.problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["personal.name", "personal.birth_date"]);
        assert!(b.suggestions.len() <= MAX_SUGGESTIONS);
        assert_eq!(b.suggestions[0].code, "suggest.avoid_personal");
        assert!(!b
            .suggestions
            .iter()
            .any(|s| s.code == "suggest.avoid_name_year"));
    }
}
