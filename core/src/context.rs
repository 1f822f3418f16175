//! What the system knows about the user, so a password built from it can be refused.

use serde::{Deserialize, Serialize};

/// Optional user data (DESIGN.md "User context"); every field may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Context {
    /// Login name.
    pub username: Option<String>,
    /// Full name, with or without diacritics ("Nguyễn Thị Thu Hà").
    pub full_name: Option<String>,
    /// E-mail address; its local part is checked.
    pub email: Option<String>,
    /// Phone number in any common writing (0912…, +84 912…, 84-912…).
    pub phone: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// Citizen ID (CCCD), 12 digits.
    pub national_id: Option<String>,
    /// Social-insurance code (mã số BHXH), 10 digits.
    pub social_insurance_code: Option<String>,
    /// Organisation or health-facility code ("01G60_BV").
    pub org_code: Option<String>,
    /// Anything else the portal knows (company name, address words…).
    pub extra: Vec<String>,
}
