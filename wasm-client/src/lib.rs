//! matkhau-wasm: the policy engine for JavaScript.
//!
//! A [`Checker`] holds one policy (normally the host's, from `GET /v1/policy`) and one locale, and
//! answers with the same JSON the host's API and the plug-in give: the verdict of `evaluate` is
//! byte-identical to theirs for the same password, context and policy. Randomness for `generate`
//! comes from the caller (the widget passes `crypto.getRandomValues`), so this crate has no
//! imports beyond what zxcvbn needs for its clock.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use matkhau_core::{messages, Context, Exposure, Locale, Policy};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// A refusal: a stable code and a message that never quotes a password. JavaScript sees an
/// `Error` whose message starts with the code (`policy.invalid: …`).
#[derive(Debug)]
pub struct Failure(pub &'static str, pub String);

impl From<Failure> for JsError {
    fn from(Failure(code, message): Failure) -> JsError {
        JsError::new(&format!("{code}: {message}"))
    }
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
    pub fn create(policy: &str, locale: &str) -> Result<Checker, Failure> {
        let policy = if policy.trim().is_empty() {
            Policy::default()
        } else {
            // Malformed JSON keeps its own code, apart from a policy with a bad field.
            serde_json::from_str::<serde::de::IgnoredAny>(policy)
                .map_err(|e| Failure("policy.json", format!("the policy is not JSON: {e}")))?;
            matkhau_core::policy::parse_published(policy)
                .map_err(|e| Failure(e.code(), e.to_string()))?
        };
        let locale = Locale::from_tag(locale)
            .ok_or_else(|| Failure("locale.invalid", "the locale must be vi or en".into()))?;
        Ok(Checker { policy, locale })
    }

    /// The verdict JSON for `password` with the user context `context` (JSON, may be empty).
    pub fn verdict(&self, password: &str, context: &str) -> Result<String, Failure> {
        self.verdict_exposed(password, context, "")
    }

    /// [`Checker::verdict`] with what a breach lookup found, as JSON `{"breached": bool,
    /// "reported": bool}` (the plug-in's `exposure` field); empty for no lookup (the verdict then
    /// has no `breach` check).
    pub fn verdict_exposed(
        &self,
        password: &str,
        context: &str,
        exposure: &str,
    ) -> Result<String, Failure> {
        let exposure: Option<Exposure> = if exposure.trim().is_empty() {
            None
        } else {
            Some(serde_json::from_str(exposure).map_err(|e| {
                Failure(
                    "exposure.invalid",
                    format!("the exposure is not {{breached, reported}}: {e}"),
                )
            })?)
        };
        let context: Context = if context.trim().is_empty() {
            Context::default()
        } else {
            serde_json::from_str(context).map_err(|e| {
                Failure(
                    "context.invalid",
                    format!("the user context is not valid: {e}"),
                )
            })?
        };
        Ok(matkhau_core::evaluate_exposed(
            password,
            &context,
            &self.policy,
            self.locale,
            exposure.as_ref(),
        )
        .to_json())
    }
}

#[wasm_bindgen]
impl Checker {
    /// `new Checker(policyJson, locale)`; throws `policy.*` or `locale.invalid` errors.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &str, locale: &str) -> Result<Checker, JsError> {
        Ok(Checker::create(policy, locale)?)
    }

    /// The verdict for `password` as JSON (the contract in `core/README.md`), `context` a JSON user
    /// context or "".
    pub fn evaluate(&self, password: &str, context: &str) -> Result<String, JsError> {
        Ok(self.verdict(password, context)?)
    }

    /// The verdict as [`Checker::evaluate`] gives it, with what a breach lookup found:
    /// `exposure` is JSON `{"breached": bool, "reported": bool}` (the plug-in's `exposure`
    /// field) or "" for none. With one, the verdict has a `breach` check, like the host's.
    #[wasm_bindgen(js_name = evaluateExposed)]
    pub fn evaluate_exposed(
        &self,
        password: &str,
        context: &str,
        exposure: &str,
    ) -> Result<String, JsError> {
        Ok(self.verdict_exposed(password, context, exposure)?)
    }

    /// The checklist label of one check code (`breach`, `length.min`, …), if it has one.
    pub fn label(&self, code: &str) -> Option<String> {
        messages::label(code, self.locale, &self.policy)
    }

    /// The length and character-class checks alone, with their checklist labels, as JSON
    /// `[{code, ok, label}]`: instant, for the first keystrokes.
    pub fn checklist(&self, password: &str) -> String {
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

    /// Labels for every check of a verdict, as JSON `{code: label}`.
    pub fn labels(&self) -> String {
        // From the policy alone: nothing is evaluated, so the estimator's tables stay unbuilt
        // until the first full verdict or `warm()`.
        let map: serde_json::Map<String, Value> = matkhau_core::checks_of(&self.policy)
            .into_iter()
            .filter_map(|code| {
                let label = messages::label(&code, self.locale, &self.policy)?;
                Some((code, Value::String(label)))
            })
            .collect();
        Value::Object(map).to_string()
    }

    /// A strong password from 32 bytes of the caller's randomness (`crypto.getRandomValues`).
    pub fn generate(&self, entropy: &[u8]) -> Result<String, JsError> {
        let seed: [u8; 32] = entropy.try_into().map_err(|_| {
            Failure(
                "entropy.length",
                "exactly 32 random bytes are needed".into(),
            )
        })?;
        Ok(matkhau_core::generate(&self.policy, seed))
    }

    /// The locale's message for any code (problems, suggestions, checks).
    pub fn message(&self, code: &str) -> String {
        messages::text(code, self.locale, &self.policy)
    }

    /// The policy in use, as JSON, and its digest under `digest`.
    pub fn policy(&self) -> String {
        json!({"policy": self.policy, "digest": matkhau_core::policy::digest(&self.policy)})
            .to_string()
    }
}

/// `"vi"` or `"en"` for a language tag (`vi`, `vi-VN`, `EN`, `en_US`), as every route of the host
/// and the pages read it; `undefined` for another language.
#[wasm_bindgen(js_name = localeOf)]
pub fn locale_of(tag: &str) -> Option<String> {
    Locale::from_tag(tag).map(|l| l.as_str().to_string())
}

/// Builds the estimator's tables now (about 20 ms), so the first verdict after this is as fast
/// as the rest. Call it when the page is idle.
#[wasm_bindgen]
pub fn warm() {
    matkhau_core::warm();
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
        let err = checker
            .verdict_exposed("secret-pw", "", r#"{"pwned":1}"#)
            .unwrap_err();
        assert_eq!(err.0, "exposure.invalid");
        assert!(!err.1.contains("secret-pw"));
    }

    #[test]
    fn exposure_adds_the_breach_check_as_on_the_host() {
        let checker = Checker::create("", "en").unwrap();
        let pw = "Rượu-vang đỏ 7 giờ chiều";
        let plain: Value = serde_json::from_str(&checker.verdict(pw, "").unwrap()).unwrap();
        assert!(plain["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["code"] != "breach"));
        let found = checker
            .verdict_exposed(pw, "", r#"{"breached":true}"#)
            .unwrap();
        let expected = matkhau_core::evaluate_exposed(
            pw,
            &Context::default(),
            &Policy::default(),
            Locale::En,
            Some(&Exposure {
                breached: true,
                reported: false,
            }),
        )
        .to_json();
        assert_eq!(found, expected);
        let v: Value = serde_json::from_str(&found).unwrap();
        assert_eq!(v["accepted"], false);
        assert_eq!(v["problems"][0]["code"], "breach.corpus");
        assert_eq!(
            checker.label("breach").as_deref(),
            Some("Not in any known leak")
        );
    }

    #[test]
    fn checklist_has_labels_and_generate_needs_32_bytes() {
        let checker = Checker::create("", "vi").unwrap();
        let list: Value = serde_json::from_str(&checker.checklist("abc")).unwrap();
        assert_eq!(list[0]["code"], "length.min");
        assert_eq!(list[0]["ok"], false);
        assert_eq!(list[0]["label"], "Ít nhất 8 ký tự");
        let pw = matkhau_core::generate(&checker.policy, [7; 32]);
        let v: Value = serde_json::from_str(&checker.verdict(&pw, "").unwrap()).unwrap();
        assert_eq!(v["accepted"], true);
    }
}
