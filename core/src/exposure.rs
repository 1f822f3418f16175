//! What the caller found out about a password outside the engine ([`Exposure`]): whether it
//! appears in a corpus of breached passwords, or in a leak report the service received. The
//! engine does no lookups (it has no I/O); the host and the widget look the password up and pass
//! the answer in, so the verdict, its codes and its messages stay the engine's.

use crate::Exposure;

/// The `breach` check: its outcome and problem codes, most important first.
pub(crate) fn outcome(exposure: &Exposure) -> crate::rules::Outcome {
    let mut problems = Vec::new();
    if exposure.reported {
        problems.push("breach.reported");
    }
    if exposure.breached {
        problems.push("breach.corpus");
    }
    crate::rules::Outcome {
        check: "breach",
        ok: problems.is_empty(),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use crate::{evaluate, evaluate_exposed, Context, Exposure, Locale, Policy};

    const STRONG: &str = "Rượu-vang đỏ 7 giờ chiều";

    #[test]
    fn a_clean_lookup_changes_nothing_but_adds_the_check() {
        let (ctx, policy) = (Context::default(), Policy::default());
        let plain = evaluate(STRONG, &ctx, &policy, Locale::Vi);
        let clean = evaluate_exposed(
            STRONG,
            &ctx,
            &policy,
            Locale::Vi,
            Some(&Exposure::default()),
        );
        assert!(plain.accepted && clean.accepted);
        assert_eq!(plain.checks.len() + 1, clean.checks.len());
        assert_eq!(
            clean.checks.last().map(|c| (c.code.as_str(), c.ok)),
            Some(("breach", true))
        );
        assert_eq!(plain.problems, clean.problems);
    }

    #[test]
    fn an_exposed_password_is_rejected_however_strong() {
        let exposure = Exposure {
            breached: true,
            reported: true,
        };
        let v = evaluate_exposed(
            STRONG,
            &Context::default(),
            &Policy::default(),
            Locale::En,
            Some(&exposure),
        );
        assert!(!v.accepted);
        assert!(v.score >= 3, "the strength estimate is unchanged");
        let codes: Vec<&str> = v.problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["breach.reported", "breach.corpus"]);
        assert_eq!(v.suggestions[0].code, "suggest.generator");
    }
}
