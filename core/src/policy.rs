//! The policy ([`Policy`], its regulation defaults in `Policy::default()`): reading a policy
//! file, where fields left out take the defaults, checking every field's range, and the digest
//! that names a policy in verdicts.

use crate::Policy;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt;

/// A policy that could not be loaded: the field at fault and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// Dotted path of the field ("lockout.max_failures"); empty when the document itself is bad.
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

impl PolicyError {
    fn new(field: &str, reason: impl Into<String>) -> Self {
        PolicyError {
            field: field.into(),
            reason: reason.into(),
        }
    }
    /// Stable error code for clients.
    pub fn code(&self) -> &'static str {
        "policy.invalid"
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "invalid policy: {}", self.reason)
        } else {
            write!(f, "invalid policy field `{}`: {}", self.field, self.reason)
        }
    }
}

impl std::error::Error for PolicyError {}

/// The longest password any policy may allow; bounds the work done per check.
pub const MAX_LENGTH_LIMIT: u32 = 4096;

/// Reads a policy from JSON: any field left out takes its default (`Policy::default()`), an
/// unknown field is refused, and every range is checked.
pub fn parse(text: &str) -> Result<Policy, PolicyError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let Strict(given) = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        PolicyError {
            field,
            reason: e.inner().to_string(),
        }
    })?;
    let mut merged =
        serde_json::to_value(Policy::default()).map_err(|e| PolicyError::new("", e.to_string()))?;
    overlay(&mut merged, given);
    let policy: Policy = serde_path_to_error::deserialize(merged).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        PolicyError {
            field,
            reason: e.inner().to_string(),
        }
    })?;
    validate(&policy)?;
    Ok(policy)
}

/// A JSON value whose objects may not repeat a key (`{"min_length": 8, "min_length": 12}` is
/// refused, as it was when files were read straight into the policy).
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("duplicate field `{key}`")));
            }
            let Strict(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(Strict(Value::Object(out)))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Strict(Value::Array(out)))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
        Ok(Strict(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
        Ok(Strict(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
        Ok(Strict(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Strict, E> {
        Ok(Strict(v.into()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
        Ok(Strict(Value::String(v.to_string())))
    }

    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict(Value::Null))
    }
}

/// Writes `given` over `base`, object members one by one (so a nested object like `lockout` may
/// name only some of its fields); any other value replaces what is there.
fn overlay(base: &mut Value, given: Value) {
    match (base, given) {
        (Value::Object(base), Value::Object(given)) => {
            for (key, value) in given {
                match base.get_mut(&key) {
                    Some(slot) => overlay(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (slot, value) => *slot = value,
    }
}

/// Reads either a policy or the host's `GET /v1/policy` answer, which carries the policy under
/// `policy` next to its `policy_digest` (what the browser clients fetch).
pub fn parse_published(text: &str) -> Result<Policy, PolicyError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| PolicyError::new("", e.to_string()))?;
    match value.get("policy") {
        Some(inner) if value.get("policy_digest").is_some() => parse(&inner.to_string()),
        _ => parse(text),
    }
}

/// Checks every field's range; the first out-of-range field is named in the error.
pub fn validate(policy: &Policy) -> Result<(), PolicyError> {
    let in_range = |field: &str, v: u32, lo: u32, hi: u32| {
        if v < lo || v > hi {
            Err(PolicyError::new(
                field,
                format!("{v} is out of range {lo}..={hi}"),
            ))
        } else {
            Ok(())
        }
    };
    if policy.id.is_empty()
        || policy.id.len() > 64
        || !policy
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(PolicyError::new(
            "id",
            "must be 1–64 characters of A–Z, a–z, 0–9, '-', '_', '.'",
        ));
    }
    in_range("min_length", policy.min_length, 1, 256)?;
    in_range(
        "max_length",
        policy.max_length,
        policy.min_length.max(8),
        MAX_LENGTH_LIMIT,
    )?;
    in_range("min_score", u32::from(policy.min_score), 0, 4)?;
    in_range("max_repeat", policy.max_repeat, 0, 64)?;
    in_range("max_sequence", policy.max_sequence, 0, 64)?;
    in_range("max_age_days", policy.max_age_days, 0, 3650)?;
    in_range(
        "expiry_warning_days",
        policy.expiry_warning_days,
        0,
        policy.max_age_days.max(1),
    )?;
    in_range("min_age_hours", policy.min_age_hours, 0, 24 * 30)?;
    in_range("history_depth", policy.history_depth, 0, 64)?;
    in_range(
        "org_inactivity_lock_days",
        policy.org_inactivity_lock_days,
        0,
        3650,
    )?;
    in_range(
        "temporary_password_hours",
        policy.temporary_password_hours,
        1,
        24 * 30,
    )?;
    in_range(
        "generated_length",
        policy.generated_length,
        policy.min_length.max(12),
        policy.max_length.min(128),
    )?;
    in_range("lockout.max_failures", policy.lockout.max_failures, 1, 1000)?;
    in_range(
        "lockout.window_minutes",
        policy.lockout.window_minutes,
        1,
        7 * 24 * 60,
    )?;
    in_range(
        "lockout.lock_minutes",
        policy.lockout.lock_minutes,
        0,
        30 * 24 * 60,
    )?;
    let kinds = &policy.otp.required_for;
    if kinds
        .iter()
        .enumerate()
        .any(|(i, k)| kinds[..i].contains(k))
    {
        return Err(PolicyError::new(
            "otp.required_for",
            "names a kind of account twice".to_string(),
        ));
    }
    let classes = [
        policy.require_upper,
        policy.require_lower,
        policy.require_digit,
        policy.require_special,
    ]
    .iter()
    .filter(|b| **b)
    .count() as u32;
    if classes > policy.generated_length {
        return Err(PolicyError::new(
            "generated_length",
            "shorter than the number of required classes",
        ));
    }
    Ok(())
}

/// SHA-256 of the policy's canonical JSON, hex: identical policies have identical digests.
pub fn digest(policy: &Policy) -> String {
    let json = serde_json::to_vec(policy).unwrap_or_default();
    let hash = Sha256::digest(&json);
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_regulation() {
        let p = Policy::default();
        assert_eq!(
            (
                p.min_length,
                p.max_age_days,
                p.history_depth,
                p.org_inactivity_lock_days
            ),
            (8, 180, 5, 180)
        );
        assert!(p.require_upper && p.require_lower && p.require_digit && p.require_special);
        assert_eq!(p.expiry_warning_days, 14);
        assert_eq!(p.min_score, 3);
        assert_eq!(p.max_length, 128);
        validate(&p).unwrap();
    }

    #[test]
    fn partial_file_takes_defaults() {
        let p = parse(r#"{"min_length": 12, "lockout": {"max_failures": 3}}"#).unwrap();
        assert_eq!(p.min_length, 12);
        assert_eq!(p.lockout.max_failures, 3);
        assert_eq!(p.lockout.window_minutes, 15);
    }

    #[test]
    fn errors_name_the_field() {
        let e = parse(r#"{"min_score": 9}"#).unwrap_err();
        assert_eq!(e.field, "min_score");
        let e = parse(r#"{"lockout": {"max_failures": "five"}}"#).unwrap_err();
        assert_eq!(e.field, "lockout.max_failures");
        let e = parse(r#"{"min_lenght": 9}"#).unwrap_err();
        assert!(e.reason.contains("min_lenght"), "{e}");
        let e = parse(r#"{"min_length": 20, "max_length": 10}"#).unwrap_err();
        assert_eq!(e.field, "max_length");
        let p = parse(r#"{"otp": {"required_for": ["staff", "organisation"]}}"#).unwrap();
        assert_eq!(p.otp.required_for.len(), 2);
        assert_eq!(parse("{}").unwrap().otp, matkhau_abi::Otp::default());
        let e = parse(r#"{"otp": {"required_for": ["staff", "staff"]}}"#).unwrap_err();
        assert_eq!(e.field, "otp.required_for");
        let e = parse(r#"{"otp": {"required_for": ["robot"]}}"#).unwrap_err();
        assert!(e.field.starts_with("otp.required_for"), "{}", e.field);
        let e = parse(r#"{"lockout": {"max_failures": 3, "max_failures": 4}}"#).unwrap_err();
        assert_eq!(e.field, "lockout");
        assert!(e.reason.contains("duplicate field `max_failures`"), "{e}");
        let e = parse("[1,2").unwrap_err();
        assert!(e.to_string().starts_with("invalid policy"));
    }

    #[test]
    fn published_answers_and_plain_policies_parse_alike() {
        let plain = parse_published(r#"{"id":"x","min_length":12}"#).unwrap();
        let answer = r#"{"abi":1,"policy":{"id":"x","min_length":12},"policy_digest":"d"}"#;
        assert_eq!(parse_published(answer).unwrap(), plain);
        let e = parse_published(r#"{"policy":{"min_score":9},"policy_digest":"d"}"#);
        assert_eq!(e.unwrap_err().field, "min_score");
        assert!(parse_published("{").is_err());
    }

    #[test]
    fn digest_tracks_content() {
        let a = Policy::default();
        let mut b = a.clone();
        assert_eq!(digest(&a), digest(&b));
        b.min_length = 9;
        assert_ne!(digest(&a), digest(&b));
        assert_eq!(digest(&a).len(), 64);
    }
}
