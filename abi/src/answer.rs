//! Answers: `{"ok": true, "result": …}` or `{"ok": false, "error": {…}}` (ABI.md, "Responses").

use crate::Policy;
use serde::de::Error as _;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A plug-in's answer to one request: its result, or its refusal.
#[derive(Debug, Clone, PartialEq)]
pub enum Response<T> {
    /// `{"ok": true, "result": T}`.
    Ok(T),
    /// `{"ok": false, "error": Refusal}`.
    Refused(Refusal),
}

impl<T: Serialize> Serialize for Response<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Response", 2)?;
        match self {
            Response::Ok(result) => {
                s.serialize_field("ok", &true)?;
                s.serialize_field("result", result)?;
            }
            Response::Refused(error) => {
                s.serialize_field("ok", &false)?;
                s.serialize_field("error", error)?;
            }
        }
        s.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<T> {
    ok: bool,
    #[serde(default = "none")]
    result: Option<T>,
    #[serde(default = "none")]
    error: Option<Refusal>,
}

fn none<T>() -> Option<T> {
    None
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Response<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Response<T>, D::Error> {
        match Envelope::<T>::deserialize(deserializer)? {
            Envelope {
                ok: true,
                result: Some(result),
                error: None,
            } => Ok(Response::Ok(result)),
            Envelope {
                ok: false,
                result: None,
                error: Some(error),
            } => Ok(Response::Refused(error)),
            _ => Err(D::Error::custom(
                "an answer is {\"ok\": true, \"result\"} or {\"ok\": false, \"error\"}",
            )),
        }
    }
}

/// A refused request: a stable code, the field it concerns (`""` when none), and a message that
/// never quotes the request (it may hold a password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refusal {
    /// Why.
    pub code: RefusalCode,
    /// The request field concerned, dotted (`policy.min_length`), or `""`.
    pub field: String,
    /// What is wrong, for people.
    pub message: String,
}

/// The stable codes of a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(strum::EnumIter))]
pub enum RefusalCode {
    /// The request is not UTF-8.
    #[serde(rename = "request.utf8")]
    Utf8,
    /// The request is not one JSON object.
    #[serde(rename = "request.json")]
    Json,
    /// An unknown field, a wrong type, or a bad value (`locale`, `entropy`).
    #[serde(rename = "request.invalid")]
    Invalid,
    /// A field the operation needs is absent.
    #[serde(rename = "request.missing")]
    Missing,
    /// A field is larger than the ABI allows (a context past `Context::MAX_*`).
    #[serde(rename = "request.too_large")]
    TooLarge,
    /// The request's policy has a bad field (`field` is `policy.<name>`).
    #[serde(rename = "policy.invalid")]
    PolicyInvalid,
}

impl RefusalCode {
    /// The code as it is written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalCode::Utf8 => "request.utf8",
            RefusalCode::Json => "request.json",
            RefusalCode::Invalid => "request.invalid",
            RefusalCode::Missing => "request.missing",
            RefusalCode::TooLarge => "request.too_large",
            RefusalCode::PolicyInvalid => "policy.invalid",
        }
    }
}

/// The answer to `describe`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    /// The ABI version the plug-in speaks.
    pub abi: u32,
    /// The version of the engine inside.
    pub core_version: String,
    /// The policy it decides with, complete.
    pub policy: Policy,
    /// SHA-256 of the policy's canonical JSON, 64 hex digits.
    pub policy_digest: String,
    /// Every problem, suggestion and check code its verdicts can hold.
    pub codes: Vec<String>,
}

/// The answer to `generate`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Generated {
    /// The generated password.
    pub password: String,
}

impl std::fmt::Debug for Generated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Generated(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes() {
        let ok: Response<Generated> =
            serde_json::from_str(r#"{"ok":true,"result":{"password":"x"}}"#).unwrap();
        assert!(matches!(ok, Response::Ok(g) if g.password == "x"));
        let refused: Response<Generated> = serde_json::from_str(
            r#"{"ok":false,"error":{"code":"request.missing","field":"entropy","message":"m"}}"#,
        )
        .unwrap();
        assert!(matches!(refused, Response::Refused(r) if r.code == RefusalCode::Missing));
        for bad in [
            r#"{"ok":true}"#,
            r#"{"ok":false}"#,
            r#"{"ok":true,"result":{"password":"x"},"error":{"code":"request.json","field":"","message":""}}"#,
            r#"{"ok":true,"result":{"password":"x"},"more":1}"#,
            r#"{"ok":false,"error":{"code":"request.other","field":"","message":""}}"#,
            r#"{"ok":true,"result":{"pass":"x"}}"#,
        ] {
            assert!(
                serde_json::from_str::<Response<Generated>>(bad).is_err(),
                "{bad}"
            );
        }
        let text = serde_json::to_string(&Response::Ok(Generated {
            password: "x".into(),
        }))
        .unwrap();
        assert_eq!(text, r#"{"ok":true,"result":{"password":"x"}}"#);
    }

    #[test]
    fn codes_are_spelled_once() {
        use strum::IntoEnumIterator;
        for code in RefusalCode::iter() {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
