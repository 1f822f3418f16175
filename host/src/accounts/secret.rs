//! A password in memory: redacted in `Debug`, zeroed when dropped.

use serde::Deserialize;
use zeroize::Zeroize;

/// A password (or temporary password) held by the host.
#[derive(Clone, Deserialize, Default)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a password.
    pub fn new(s: String) -> Secret {
        Secret(s)
    }

    /// The password itself, for hashing or evaluation only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacted() {
        let s = super::Secret::new("Matkhau@123".into());
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
    }
}
