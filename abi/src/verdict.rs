//! The verdict: the one JSON answer given by the engine, the plug-in, the widget, the API and the
//! CLI alike.

use serde::{Deserialize, Serialize};

/// One rule's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Stable rule code ("length.min", "class.upper", "strength.score").
    pub code: String,
    /// Whether the password passes this rule.
    pub ok: bool,
}

/// A problem or a suggestion: a stable code and its message in the requested locale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Stable code clients may translate themselves ("vn.name_year").
    pub code: String,
    /// Text in the requested locale.
    pub message: String,
}

/// Identity of the policy that produced a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRef {
    /// The policy's `id`.
    pub id: String,
    /// SHA-256 of its canonical JSON.
    pub digest: String,
}

/// The result of evaluating one password. `accepted` is true exactly when every check is ok.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// Whether the policy accepts the password.
    pub accepted: bool,
    /// Strength 0–4 (10^3, 10^6, 10^8, 10^10 guesses are the steps).
    pub score: u8,
    /// Estimated guesses, log10, rounded to three decimals.
    pub guesses_log10: f64,
    /// Every rule of the policy and whether it passed, in a fixed order.
    pub checks: Vec<Check>,
    /// What is wrong, most important first.
    pub problems: Vec<Message>,
    /// What to do about it.
    pub suggestions: Vec<Message>,
    /// The policy that decided.
    pub policy: PolicyRef,
}

impl Verdict {
    /// The verdict as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The codes of the checks that failed, in order.
    pub fn failed_checks(&self) -> impl Iterator<Item = &str> {
        self.checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.code.as_str())
    }
}
