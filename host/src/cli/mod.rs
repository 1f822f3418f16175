//! Sub-commands of the `matkhau` binary.

pub mod check;
pub mod policy;

use matkhau_core::Policy;
use std::path::Path;

/// Load a policy file (JSON; fields left out take the defaults), or the defaults.
pub fn load_policy(path: Option<&Path>) -> Result<Policy, String> {
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read policy file {}: {e}", path.display()))?;
    Policy::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}
