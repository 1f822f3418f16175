//! Requests: one JSON object per call, `op` naming the operation (ABI.md, "Requests").

use crate::lifecycle::{
    ChangeAllowed, HistoryToKeep, Lockout, OrgInactivity, PasswordAge, Similar, TemporaryPassword,
};
use crate::{Context, Exposure, Locale};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::borrow::Cow;

/// The operation a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(strum::EnumIter))]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The ABI version, the core version, the active policy and every message code.
    Describe,
    /// The verdict for `password`.
    Evaluate,
    /// A strong password from `entropy`.
    Generate,
    /// A lifecycle `decision` at `now`.
    Lifecycle,
}

/// A request. The fields an operation does not use may be absent; one it needs that is absent
/// is refused with `request.missing`; an unknown field is refused with `request.invalid`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request<'a> {
    /// The operation.
    pub op: Op,
    /// Unix seconds; required by `lifecycle`. The host sends it with every request and answers
    /// the clock import from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now: Option<i64>,
    /// The language of the verdict's messages (`evaluate`); Vietnamese when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// A policy object (fields left out take the defaults); absent: the plug-in's built-in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<Cow<'a, RawValue>>,
    /// The password to evaluate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<Cow<'a, str>>,
    /// The user's own data (`evaluate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Cow<'a, Context>>,
    /// What the caller's breach lookups found (`evaluate`): the verdict then has a `breach` check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Exposure>,
    /// Caller randomness for `generate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entropy: Option<Entropy>,
    /// The question of a `lifecycle` request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision<'a>>,
}

impl std::fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The password (and a similarity question's two) stay out of logs.
        f.debug_struct("Request")
            .field("op", &self.op)
            .field("now", &self.now)
            .field("locale", &self.locale)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl<'a> Request<'a> {
    fn new(op: Op, now: i64) -> Request<'a> {
        Request {
            op,
            now: Some(now),
            locale: None,
            policy: None,
            password: None,
            context: None,
            exposure: None,
            entropy: None,
            decision: None,
        }
    }

    /// `describe` at `now`.
    pub fn describe(now: i64) -> Request<'a> {
        Request::new(Op::Describe, now)
    }

    /// `evaluate` of `password` for the user `context`, with the caller's `exposure` lookups.
    pub fn evaluate(
        now: i64,
        password: &'a str,
        context: Option<&'a Context>,
        exposure: Option<Exposure>,
        locale: Locale,
    ) -> Request<'a> {
        Request {
            password: Some(Cow::Borrowed(password)),
            context: context.map(Cow::Borrowed),
            exposure,
            locale: Some(locale),
            ..Request::new(Op::Evaluate, now)
        }
    }

    /// `generate` from `entropy`.
    pub fn generate(now: i64, entropy: Entropy) -> Request<'a> {
        Request {
            entropy: Some(entropy),
            ..Request::new(Op::Generate, now)
        }
    }

    /// `lifecycle`: the answer to `decision` at `now`.
    pub fn lifecycle(now: i64, decision: impl Into<Decision<'a>>) -> Request<'a> {
        Request {
            decision: Some(decision.into()),
            ..Request::new(Op::Lifecycle, now)
        }
    }

    /// The same request under `policy` (a policy object's JSON).
    pub fn with_policy(self, policy: Option<&'a RawValue>) -> Request<'a> {
        Request {
            policy: policy.map(Cow::Borrowed),
            ..self
        }
    }
}

/// The question of a `lifecycle` request, tagged by `kind` (ABI.md, "Lifecycle decisions").
/// Each variant's answer type is its [`crate::lifecycle::Question::Answer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Decision<'a> {
    /// → [`crate::lifecycle::AgeStatus`].
    PasswordAge(PasswordAge),
    /// → [`crate::lifecycle::InactivityStatus`].
    OrgInactivity(OrgInactivity),
    /// → [`crate::lifecycle::TemporaryValidity`].
    TemporaryPassword(TemporaryPassword),
    /// → [`crate::lifecycle::ChangePermission`].
    ChangeAllowed(ChangeAllowed),
    /// → [`crate::lifecycle::HistoryDepth`].
    HistoryToKeep(HistoryToKeep),
    /// → [`crate::lifecycle::LockoutDecision`].
    Lockout(Lockout),
    /// → [`crate::lifecycle::Similarity`].
    Similar(Similar<'a>),
}

/// 32 bytes of caller randomness, written as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Entropy(pub [u8; 32]);

impl std::fmt::Debug for Entropy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // It decides a generated (temporary) password.
        f.write_str("Entropy(<redacted>)")
    }
}

impl Serialize for Entropy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&hex::encode(self.0))
    }
}

impl<'de> Deserialize<'de> for Entropy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Entropy, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.as_bytes(), &mut bytes)
            .map_err(|_| serde::de::Error::custom("entropy must be 64 hex digits"))?;
        Ok(Entropy(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_have_their_wire_form() {
        let ctx = Context {
            full_name: Some("Nguyễn Văn An".into()),
            ..Context::default()
        };
        let r = Request::evaluate(5, "pw", Some(&ctx), None, Locale::En);
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"op":"evaluate","now":5,"locale":"en","password":"pw","context":{"full_name":"Nguyễn Văn An"}}"#
        );
        let r = Request::lifecycle(7, HistoryToKeep {});
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"op":"lifecycle","now":7,"decision":{"kind":"history_to_keep"}}"#
        );
        let r = Request::lifecycle(7, PasswordAge { changed_at: 3 });
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"op":"lifecycle","now":7,"decision":{"kind":"password_age","changed_at":3}}"#
        );
        let r = Request::generate(1, Entropy([0xab; 32]));
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.contains(&"ab".repeat(32)), "{text}");
        let back: Request = serde_json::from_str(&text).unwrap();
        assert_eq!(back.entropy, Some(Entropy([0xab; 32])));
    }

    #[test]
    fn decisions_refuse_unknown_fields_and_kinds() {
        for bad in [
            r#"{"kind":"password_age","changed_at":1,"extra":2}"#,
            r#"{"kind":"password_age"}"#,
            r#"{"kind":"fly"}"#,
            r#"{"changed_at":1}"#,
            r#"{"kind":"history_to_keep","extra":1}"#,
        ] {
            assert!(serde_json::from_str::<Decision>(bad).is_err(), "{bad}");
        }
        let d: Decision =
            serde_json::from_str(r#"{"kind":"lockout","failures":[{"at":1,"fingerprint":"ab"}]}"#)
                .unwrap();
        assert!(matches!(d, Decision::Lockout(l) if l.failures.len() == 1));
    }

    #[test]
    fn debug_never_shows_a_password() {
        let r = Request::evaluate(1, "Hunter2-secret", None, None, Locale::Vi);
        assert!(!format!("{r:?}").contains("Hunter2"));
    }

    #[test]
    fn entropy_is_64_hex_digits() {
        for bad in [r#""zz""#, r#""00""#, &format!("\"{}\"", "g".repeat(64))] {
            assert!(serde_json::from_str::<Entropy>(bad).is_err(), "{bad}");
        }
        assert!(!format!("{:?}", Entropy([1; 32])).contains("01"));
    }
}
