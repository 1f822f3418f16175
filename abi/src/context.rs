//! What the portal knows about the user, so a password built from it can be refused.

use serde::{Deserialize, Serialize};

/// Optional user data; every field may be absent (and is left out when written), and an unknown
/// field is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Context {
    /// Login name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Full name, with or without diacritics ("Nguyễn Thị Thu Hà").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// E-mail address; its local part is checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number in any common writing (0912…, +84 912…, 84-912…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// Citizen ID (CCCD), 12 digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_id: Option<String>,
    /// Social-insurance code (mã số BHXH), 10 digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub social_insurance_code: Option<String>,
    /// Organisation or health-facility code ("01G60_BV").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_code: Option<String>,
    /// Anything else the portal knows (company name, address words…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<String>,
}
