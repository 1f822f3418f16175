//! matkhau-core: the password policy engine of the BHXH public-service portal.
//!
//! Pure functions over plain data: no I/O, no clock, no OS randomness. It builds natively and
//! for `wasm32-unknown-unknown`, so the browser, the server's plug-in and the tests run one code.
//!
//! ```
//! use matkhau_core::{evaluate, Context, Locale, Policy};
//! let v = evaluate("Nguyenvanhung@1990", &Context::default(), &Policy::default(), Locale::En);
//! assert!(!v.accepted);
//! assert!(v.problems.iter().any(|p| p.code == "vn.name_year"));
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod brief;
pub mod checks;
pub mod exposure;
pub mod generator;
pub mod lifecycle;
pub mod messages;
pub mod normalize;
pub mod policy;
pub mod rules;
pub mod strength;

pub use brief::{brief, Brief};
pub use generator::{generate, passphrase};
pub use matkhau_abi::{
    Check, Context, Exposure, Locale, Lockout, Message, Policy, PolicyRef, Verdict,
};
pub use policy::PolicyError;

use normalize::fold;
use rules::Outcome;

/// The user's own words for zxcvbn's dictionary: name parts, username, e-mail local part, codes.
fn user_inputs(ctx: &Context) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut add = |s: &str| {
        for w in fold(s).split(|c: char| !c.is_alphanumeric()) {
            if w.chars().count() >= 3 && !words.iter().any(|x| x == w) {
                words.push(w.to_string());
            }
        }
    };
    for s in [&ctx.full_name, &ctx.username, &ctx.org_code]
        .into_iter()
        .flatten()
    {
        add(s);
    }
    if let Some(e) = &ctx.email {
        add(e.split('@').next().unwrap_or(""));
    }
    for e in &ctx.extra {
        add(e);
    }
    words
}

/// Evaluate `password` for the user described by `ctx` under `policy`, with messages in
/// `locale`. Never panics; cost is bounded whatever the input's length.
pub fn evaluate(password: &str, ctx: &Context, policy: &Policy, locale: Locale) -> Verdict {
    evaluate_exposed(password, ctx, policy, locale, None)
}

/// [`evaluate`] with what the caller's breach lookups found: with `Some`, the verdict gains a
/// `breach` check after the strength check (failing with `breach.reported` or `breach.corpus`).
pub fn evaluate_exposed(
    password: &str,
    ctx: &Context,
    policy: &Policy,
    locale: Locale,
    exposure: Option<&Exposure>,
) -> Verdict {
    let nfc = normalize::nfc(password);
    let chars: Vec<char> = nfc.chars().collect();
    let counts = rules::composition::count(&chars);

    // The rules past length and composition look at the visible characters up to the maximum
    // length: anything longer is rejected by `length.max` anyway.
    let visible: Vec<char> = chars
        .iter()
        .copied()
        .filter(|&c| !normalize::is_invisible(c))
        .take(policy.max_length as usize)
        .collect();

    let mut outcomes: Vec<Outcome> = rules::composition::check(&counts, policy);
    outcomes.extend(rules::repetition::check(&visible, policy));
    if policy.personal_data_check {
        outcomes.push(rules::personal::check(&visible, ctx));
    }
    if policy.identifier_check {
        outcomes.push(rules::identifiers::check(&visible));
    }
    let inputs = user_inputs(ctx);
    let input_refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let estimate = strength::estimate(&visible, &input_refs);
    let strong = estimate.score >= policy.min_score;
    let mut strength_outcome = Outcome::simple("strength.score", strong);
    if !strong {
        strength_outcome
            .problems
            .extend(estimate.problems.iter().copied());
    }
    outcomes.push(strength_outcome);
    if let Some(exposure) = exposure {
        outcomes.push(exposure::outcome(exposure));
    }

    let mut problem_codes: Vec<&str> = Vec::new();
    let mut suggestion_codes: Vec<&str> = Vec::new();
    for o in outcomes.iter().filter(|o| !o.ok) {
        for p in &o.problems {
            if !problem_codes.contains(p) {
                problem_codes.push(p);
            }
        }
        let advice: &[&str] = match checks::rule(o.check).map(|r| r.advice) {
            Some(checks::Advice::Codes(codes)) => codes,
            Some(checks::Advice::Estimate) => &estimate.suggestions,
            None => &[],
        };
        for s in advice {
            if !suggestion_codes.contains(s) {
                suggestion_codes.push(s);
            }
        }
    }
    let message = |code: &str| Message {
        code: code.to_string(),
        message: messages::text(code, locale, policy),
    };
    let checks: Vec<Check> = outcomes
        .iter()
        .map(|o| Check {
            code: o.check.to_string(),
            ok: o.ok,
        })
        .collect();
    Verdict {
        accepted: checks.iter().all(|c| c.ok),
        score: estimate.score,
        guesses_log10: libm::round(estimate.guesses_log10 * 1000.0) / 1000.0,
        checks,
        problems: problem_codes.into_iter().map(message).collect(),
        suggestions: suggestion_codes.into_iter().map(message).collect(),
        policy: PolicyRef {
            id: policy.id.clone(),
            digest: policy::digest(policy),
        },
    }
}

/// The policy's length and character-class checks alone, in the order and with the values
/// [`evaluate`] gives them. They need no strength estimate, so a page can tick its rule checklist
/// on the first keystroke, before the estimator's tables are built.
pub fn checklist(password: &str, policy: &Policy) -> Vec<Check> {
    let nfc = normalize::nfc(password);
    let chars: Vec<char> = nfc.chars().collect();
    rules::composition::check(&rules::composition::count(&chars), policy)
        .into_iter()
        .map(|o| Check {
            code: o.check.to_string(),
            ok: o.ok,
        })
        .collect()
}

/// Builds the estimator's lazily made tables (zxcvbn's dictionaries, the Vietnamese lists) now,
/// so that the first real evaluation is as fast as the rest: call it when the page is idle.
pub fn warm() {
    let _ = evaluate(
        "Warm up 1990 Nguyen",
        &Context::default(),
        &Policy::default(),
        Locale::Vi,
    );
}

/// The codes of the checks [`evaluate`] gives under `policy`, in its order, without evaluating
/// anything (a checklist can list the rules before the first keystroke).
pub fn checks_of(policy: &Policy) -> Vec<String> {
    checks::CHECKS
        .iter()
        .filter(|r| (r.enabled)(policy))
        .map(|r| r.code.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_of_lists_what_evaluate_checks() {
        let mut policy = Policy::default();
        for (repeat, personal) in [(3, true), (0, false)] {
            policy.max_repeat = repeat;
            policy.personal_data_check = personal;
            let listed = checks_of(&policy);
            let v = evaluate("Abc@12345", &Context::default(), &policy, Locale::En);
            let checked: Vec<String> = v.checks.into_iter().map(|c| c.code).collect();
            assert_eq!(listed, checked);
        }
    }

    #[test]
    fn every_rule_of_the_registry_is_checked_in_its_order() {
        // Every check a verdict can hold, with an exposure and every rule enabled, is the
        // registry's list, in its order.
        let v = evaluate_exposed(
            "x",
            &Context::default(),
            &Policy::default(),
            Locale::En,
            Some(&Exposure::default()),
        );
        let checked: Vec<&str> = v.checks.iter().map(|c| c.code.as_str()).collect();
        let registered: Vec<&str> = checks::CHECKS.iter().map(|r| r.code).collect();
        assert_eq!(checked, registered);
    }

    #[test]
    fn every_number_in_a_text_comes_from_the_policy() {
        let p = Policy {
            min_length: 11,
            max_repeat: 7,
            ..Policy::default()
        };
        for rule in checks::CHECKS {
            let uses_n = [rule.text.vi, rule.text.en, rule.label.vi, rule.label.en]
                .iter()
                .any(|t| t.contains("{n}"));
            assert_eq!(uses_n, rule.number.is_some(), "{}", rule.code);
        }
        for code in messages::codes() {
            for locale in [Locale::Vi, Locale::En] {
                let text = messages::text(code, locale, &p);
                assert!(!text.contains("{n}"), "{code}: {text}");
            }
        }
        assert_eq!(
            messages::label("length.min", Locale::En, &p).unwrap(),
            "At least 11 characters"
        );
        assert!(messages::text("repeat.chars", Locale::Vi, &p).contains(" 7 "));
    }

    #[test]
    fn checklist_is_the_prefix_of_the_verdicts_checks() {
        let policy = Policy::default();
        for pw in [
            "",
            "abc",
            "Matkhau@123",
            "Mậtkhẩu@2024",
            "a\u{200b}Bc1@xyzw",
            "AAAA",
        ] {
            let quick = checklist(pw, &policy);
            let full = evaluate(pw, &Context::default(), &policy, Locale::Vi).checks;
            assert_eq!(quick[..], full[..quick.len()], "{pw:?}");
        }
    }
}
