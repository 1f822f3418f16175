//! The policy's rules. Each rule looks at the normalised password and reports one check.

pub mod composition;
pub mod identifiers;
pub mod personal;
pub mod repetition;

/// What one rule found: its check code, whether it passed, and the problem codes it raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The rule's stable check code.
    pub check: &'static str,
    /// True when the password passes.
    pub ok: bool,
    /// Specific problem codes, most important first (empty when `ok`).
    pub problems: Vec<&'static str>,
}

impl Outcome {
    /// A rule that reports nothing more specific than its own code.
    pub fn simple(check: &'static str, ok: bool) -> Self {
        Outcome {
            check,
            ok,
            problems: if ok { vec![] } else { vec![check] },
        }
    }
}
