//! matkhau-wasm: the policy engine for JavaScript.
//!
//! A [`Checker`] holds one policy (normally the host's, from `GET /v1/policy`) and one locale, and
//! answers with the same JSON the host's API and the plug-in give: the verdict of `evaluate` is
//! byte-identical to theirs for the same password, context and policy. Randomness for `generate`
//! comes from the caller (the widget passes `crypto.getRandomValues`), so this crate has no
//! imports beyond what zxcvbn needs for its clock.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use matkhau_core::{messages, Context, Locale, Policy};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// An error for JavaScript: `Error` whose message starts with a stable code (`policy.invalid: …`).
/// Messages never quote a password.
fn error(code: &str, message: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("{code}: {message}"))
}

/// The engine bound to one policy and locale.
#[wasm_bindgen]
pub struct Checker {
    policy: Policy,
    locale: Locale,
}

impl Checker {
    /// A checker for `policy` (JSON of a policy object, or of the host's `/v1/policy` answer that
    /// holds one under `policy`; empty for the built-in default) and `locale` ("vi", "en").
    pub fn create(policy: &str, locale: &str) -> Result<Checker, (String, String)> {
        let policy = parse_policy(policy)?;
        let locale = Locale::parse(locale).ok_or_else(|| {
            (
                "locale.invalid".to_string(),
                "the locale must be vi or en".to_string(),
            )
        })?;
        Ok(Checker { policy, locale })
    }

    /// The verdict JSON for `password` with the user context `context` (JSON, may be empty).
    pub fn verdict(&self, password: &str, context: &str) -> Result<String, (String, String)> {
        let context: Context = if context.trim().is_empty() {
            Context::default()
        } else {
            serde_json::from_str(context).map_err(|e| {
                (
                    "context.invalid".to_string(),
                    format!("the user context is not valid: {e}"),
                )
            })?
        };
        Ok(matkhau_core::evaluate(password, &context, &self.policy, self.locale).to_json())
    }

    /// The rule checklist: `[{code, ok, label}]` for the length and class checks only.
    pub fn quick_checks(&self, password: &str) -> String {
        let items: Vec<Value> = matkhau_core::checklist(password, &self.policy)
            .into_iter()
            .map(|c| {
                json!({
                    "code": c.code,
                    "ok": c.ok,
                    "label": messages::label(&c.code, self.locale, &self.policy),
                })
            })
            .collect();
        Value::Array(items).to_string()
    }
}

fn parse_policy(text: &str) -> Result<Policy, (String, String)> {
    if text.trim().is_empty() {
        return Ok(Policy::default());
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        (
            "policy.json".to_string(),
            format!("the policy is not JSON: {e}"),
        )
    })?;
    // The host's `/v1/policy` answer wraps the policy with its digest and plug-in facts.
    let inner = match value.get("policy") {
        Some(p) if value.get("policy_digest").is_some() => p.to_string(),
        _ => text.to_string(),
    };
    Policy::from_json(&inner).map_err(|e| (e.code().to_string(), e.to_string()))
}

fn js((code, message): (String, String)) -> JsError {
    error(&code, message)
}

#[wasm_bindgen]
impl Checker {
    /// `new Checker(policyJson, locale)`; throws `policy.*` or `locale.invalid` errors.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &str, locale: &str) -> Result<Checker, JsError> {
        Checker::create(policy, locale).map_err(js)
    }

    /// The verdict for `password` as JSON (the contract in DESIGN.md), `context` a JSON user
    /// context or "".
    pub fn evaluate(&self, password: &str, context: &str) -> Result<String, JsError> {
        self.verdict(password, context).map_err(js)
    }

    /// The length and character-class checks alone, with their checklist labels, as JSON
    /// `[{code, ok, label}]`: instant, for the first keystrokes.
    pub fn checklist(&self, password: &str) -> String {
        self.quick_checks(password)
    }

    /// Labels for every check of a verdict, as JSON `{code: label}`.
    pub fn labels(&self) -> String {
        let probe = matkhau_core::evaluate("", &Context::default(), &self.policy, self.locale);
        let map: serde_json::Map<String, Value> = probe
            .checks
            .iter()
            .filter_map(|c| {
                messages::label(&c.code, self.locale, &self.policy)
                    .map(|l| (c.code.clone(), Value::String(l)))
            })
            .collect();
        Value::Object(map).to_string()
    }

    /// A strong password from 32 bytes of the caller's randomness (`crypto.getRandomValues`).
    pub fn generate(&self, entropy: &[u8]) -> Result<String, JsError> {
        let seed: [u8; 32] = entropy
            .try_into()
            .map_err(|_| error("entropy.length", "exactly 32 random bytes are needed"))?;
        Ok(matkhau_core::generate(&self.policy, seed))
    }

    /// The locale's message for any code (problems, suggestions, checks).
    pub fn message(&self, code: &str) -> String {
        messages::text(code, self.locale, &self.policy)
    }

    /// The policy in use, as JSON, and its digest under `digest`.
    pub fn policy(&self) -> String {
        json!({"policy": self.policy, "digest": self.policy.digest()}).to_string()
    }
}

/// Builds the estimator's tables now (a few tens of milliseconds), so the first verdict after
/// this is as fast as the rest. Call it when the page is idle.
#[wasm_bindgen]
pub fn warm() {
    let _ = matkhau_core::evaluate(
        "Warm up 1990 Nguyen",
        &Context::default(),
        &Policy::default(),
        Locale::Vi,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_equals_core_and_accepts_the_hosts_policy_answer() {
        let host_answer = r#"{"abi":1,"policy":{"id":"t","min_length":10},"policy_digest":"x"}"#;
        let checker = Checker::create(host_answer, "en").unwrap();
        assert_eq!(checker.policy.min_length, 10);
        let policy = Policy {
            id: "t".into(),
            min_length: 10,
            ..Policy::default()
        };
        let ctx = r#"{"full_name":"Nguyễn Văn Hùng"}"#;
        let expected = matkhau_core::evaluate(
            "Hung@1990abc",
            &serde_json::from_str(ctx).unwrap(),
            &policy,
            Locale::En,
        )
        .to_json();
        assert_eq!(checker.verdict("Hung@1990abc", ctx).unwrap(), expected);
    }

    #[test]
    fn bad_input_gets_a_code() {
        assert_eq!(Checker::create("{", "vi").err().unwrap().0, "policy.json");
        assert_eq!(Checker::create("", "fr").err().unwrap().0, "locale.invalid");
        let checker = Checker::create("", "vi").unwrap();
        let err = checker.verdict("secret-pw", "[1]").unwrap_err();
        assert_eq!(err.0, "context.invalid");
        assert!(!err.1.contains("secret-pw"));
    }

    #[test]
    fn checklist_has_labels_and_generate_needs_32_bytes() {
        let checker = Checker::create("", "vi").unwrap();
        let list: Value = serde_json::from_str(&checker.quick_checks("abc")).unwrap();
        assert_eq!(list[0]["code"], "length.min");
        assert_eq!(list[0]["ok"], false);
        assert_eq!(list[0]["label"], "Ít nhất 8 ký tự");
        let pw = matkhau_core::generate(&checker.policy, [7; 32]);
        let v: Value = serde_json::from_str(&checker.verdict(&pw, "").unwrap()).unwrap();
        assert_eq!(v["accepted"], true);
    }
}
