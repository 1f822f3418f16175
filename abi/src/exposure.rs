//! What the caller found out about a password outside the engine, which does no lookups.

use serde::{Deserialize, Serialize};

/// Lookups the caller made for one password: the host screens its breach corpus and its leak
/// reports, the pages ask the k-anonymity range endpoint. Both false is a clean lookup; with an
/// exposure the verdict has a `breach` check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Exposure {
    /// The password is in a breached-password corpus (Have I Been Pwned's or the operator's).
    pub breached: bool,
    /// The password was in a leaked-account report this service received.
    pub reported: bool,
}
