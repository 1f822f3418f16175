//! The known-answer checks a plug-in passes before it is used (ABI.md, "Self-check").

use super::{LoadError, Plugin};
use crate::plugin::CallError;
use matkhau_abi::request::Entropy;
use matkhau_abi::{Description, Generated, Locale, RefusalCode, Request, Verdict};

/// 2026-01-01T00:00:00Z: a fixed, valid clock for the checks.
const NOW: i64 = 1_767_225_600;

/// Fixed entropy for the generator check (not secret: the password it gives is only evaluated).
const ENTROPY: [u8; 32] = {
    let mut e = [0x5e; 32];
    let mut i = 1;
    while i < 32 {
        e[i] = 0x1f;
        i += 2;
    }
    e
};

/// Passwords every policy must reject.
const WEAK: [&str; 4] = ["", "password", "123456", "Matkhau@123"];

impl Plugin {
    /// Runs the checks; a plug-in that fails them is refused. Returns its description.
    pub(super) fn self_check(&self) -> Result<Description, LoadError> {
        let fail = |what: &str| LoadError::SelfCheck(what.to_string());
        let refused = |e: CallError| match e {
            CallError::Refused(r) if r.code == RefusalCode::PolicyInvalid => {
                LoadError::PolicyInvalid {
                    field: r.field,
                    reason: r.message,
                }
            }
            e => LoadError::SelfCheck(e.to_string()),
        };
        let evaluate = |password: &str| {
            self.ask::<Verdict>(Request::evaluate(NOW, password, None, None, Locale::Vi))
                .map_err(refused)
        };
        let d: Description = self.ask(Request::describe(NOW)).map_err(refused)?;
        if d.abi != matkhau_abi::ABI_VERSION {
            return Err(fail("describe reports another ABI version"));
        }
        if d.policy_digest.len() != 64 || !d.policy_digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(fail("describe has no SHA-256 policy digest"));
        }
        for weak in WEAK {
            if evaluate(weak)?.accepted {
                return Err(fail("a well-known weak password was accepted"));
            }
        }
        let g: Generated = self
            .ask(Request::generate(NOW, Entropy(ENTROPY)))
            .map_err(refused)?;
        if !evaluate(&g.password)?.accepted {
            return Err(fail(
                "a password from the plug-in's own generator was rejected",
            ));
        }
        Ok(d)
    }
}
