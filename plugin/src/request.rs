//! One JSON request in, one JSON response out (ABI.md, "Requests" and "Responses"); the wire
//! types are `matkhau-abi`'s, the decisions `matkhau-core`'s.

use matkhau_abi::lifecycle::{ChangePermission, HistoryDepth, TemporaryValidity};
use matkhau_abi::request::Entropy;
use matkhau_abi::{Decision, Description, Generated, Op, Refusal, RefusalCode, Request, Response};
use matkhau_core::{evaluate_exposed, generate, lifecycle, messages, policy, Policy};
use serde::Serialize;

/// The ABI version this crate implements (ABI.md).
pub const ABI_VERSION: u32 = matkhau_abi::ABI_VERSION;

fn refusal(code: RefusalCode, field: &str, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        field: field.to_string(),
        message: message.into(),
    }
}

/// Handles one request (UTF-8 JSON) and returns the response JSON. Never panics on any input.
pub fn handle(request: &[u8]) -> String {
    match respond(request) {
        Ok(answer) => answer,
        Err(refusal) => answer(Response::<()>::Refused(refusal)),
    }
}

/// The response as JSON (serializing these types cannot fail; an empty string would be refused
/// by the host as a bad response).
fn answer<T: Serialize>(response: Response<T>) -> String {
    serde_json::to_string(&response).unwrap_or_default()
}

fn ok<T: Serialize>(result: T) -> String {
    answer(Response::Ok(result))
}

fn respond(bytes: &[u8]) -> Result<String, Refusal> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| refusal(RefusalCode::Utf8, "", "the request is not valid UTF-8"))?;
    let request = parse(text)?;
    let policy = match &request.policy {
        None => Policy::default(),
        Some(raw) => policy::parse(raw.get()).map_err(|e| {
            refusal(
                RefusalCode::PolicyInvalid,
                &format!("policy.{}", e.field),
                e.reason,
            )
        })?,
    };
    let locale = request.locale.unwrap_or_default();
    match request.op {
        Op::Describe => Ok(ok(describe(&policy))),
        Op::Evaluate => {
            let password = request
                .password
                .as_deref()
                .ok_or_else(|| missing("password"))?;
            let context = request.context.unwrap_or_default();
            if let Some(field) = context.oversized() {
                return Err(refusal(
                    RefusalCode::TooLarge,
                    field,
                    format!(
                        "a context field has at most {} characters and `extra` at most {} entries",
                        matkhau_abi::Context::MAX_FIELD_CHARS,
                        matkhau_abi::Context::MAX_EXTRA
                    ),
                ));
            }
            let verdict = evaluate_exposed(
                password,
                &context,
                &policy,
                locale,
                request.exposure.as_ref(),
            );
            Ok(ok(verdict))
        }
        Op::Generate => {
            let Entropy(entropy) = request.entropy.ok_or_else(|| missing("entropy"))?;
            Ok(ok(Generated {
                password: generate(&policy, entropy),
            }))
        }
        Op::Lifecycle => {
            let now = request.now.ok_or_else(|| missing("now"))?;
            let decision = request.decision.ok_or_else(|| missing("decision"))?;
            Ok(decide(decision, now, &policy))
        }
    }
}

/// Parses the envelope; errors name the field but never echo a value.
fn parse(text: &str) -> Result<Request<'_>, Refusal> {
    let mut de = serde_json::Deserializer::from_str(text);
    let request: Request = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            refusal(RefusalCode::Json, "", "the request is not a JSON object")
        } else {
            refusal(
                RefusalCode::Invalid,
                if field == "." { "" } else { &field },
                "unknown field, missing field, wrong type or bad value",
            )
        }
    })?;
    de.end().map_err(|_| {
        refusal(
            RefusalCode::Json,
            "",
            "trailing characters after the request",
        )
    })?;
    Ok(request)
}

fn missing(field: &str) -> Refusal {
    refusal(
        RefusalCode::Missing,
        field,
        format!("this operation needs `{field}`"),
    )
}

fn describe(policy: &Policy) -> Description {
    Description {
        abi: ABI_VERSION,
        core_version: env!("CARGO_PKG_VERSION").to_string(),
        policy: policy.clone(),
        policy_digest: policy::digest(policy),
        codes: messages::codes().map(str::to_string).collect(),
    }
}

fn decide(decision: Decision<'_>, now: i64, policy: &Policy) -> String {
    match decision {
        Decision::PasswordAge(q) => ok(lifecycle::password_age(q.changed_at, now, policy)),
        Decision::OrgInactivity(q) => ok(lifecycle::org_inactivity(q.last_activity, now, policy)),
        Decision::TemporaryPassword(q) => ok(TemporaryValidity {
            valid: lifecycle::temporary_password_valid(q.issued_at, now, policy),
        }),
        Decision::ChangeAllowed(q) => ok(
            match lifecycle::change_allowed(q.last_change, now, policy) {
                Ok(()) => ChangePermission::Allowed,
                Err(seconds) => ChangePermission::Wait { seconds },
            },
        ),
        Decision::HistoryToKeep(_) => ok(HistoryDepth {
            keep: lifecycle::history_to_keep(policy),
        }),
        Decision::Lockout(q) => ok(lifecycle::lockout(&q.failures, now, policy)),
        Decision::Similar(q) => ok(lifecycle::similarity(&q.previous, &q.candidate)),
    }
}
/// Requests that build every lazy table without reading the clock: no input holds a year or a
/// date (digit runs are all zeros, which no date reading accepts), so zxcvbn never computes its
/// reference year here.
const WARM_UP: &[&str] = &[
    r#"{"op":"describe"}"#,
    r#"{"op":"evaluate","password":"correct horse battery staple"}"#,
    r#"{"op":"evaluate","password":"P@ssw0rd!","locale":"en"}"#,
    r#"{"op":"evaluate","password":"qwertyuiop asdfgh 0000 00000000"}"#,
    r#"{"op":"evaluate","password":"abcdefgh aaaaaa 00/00/0000","locale":"vi"}"#,
    r#"{"op":"evaluate","password":"Nguyễn Văn An Hà Nội","context":{"full_name":"Nguyễn Văn An","username":"annv","email":"an@example.vn"}}"#,
    r#"{"op":"evaluate","password":"nguyeenx vawn an tooi yeeu"}"#,
    r#"{"op":"generate","entropy":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"}"#,
    r#"{"op":"lifecycle","now":0,"decision":{"kind":"history_to_keep"}}"#,
];

/// Runs [`WARM_UP`] (see `matkhau_init`).
pub fn warm_up() {
    for request in WARM_UP {
        let _ = handle(request.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use matkhau_core::{Context, Locale};
    use serde_json::Value;

    fn call(request: &str) -> Value {
        serde_json::from_str(&handle(request.as_bytes())).expect("response is JSON")
    }

    #[test]
    fn evaluate_matches_core() {
        let out = handle(br#"{"op":"evaluate","password":"Matkhau@123","locale":"en"}"#);
        let result = out
            .strip_prefix(r#"{"ok":true,"result":"#)
            .and_then(|r| r.strip_suffix('}'))
            .expect("an ok envelope");
        let native = matkhau_core::evaluate(
            "Matkhau@123",
            &Context::default(),
            &Policy::default(),
            Locale::En,
        );
        assert_eq!(result, native.to_json());
    }

    #[test]
    fn exposure_adds_the_breach_check() {
        let v = call(
            r#"{"op":"evaluate","password":"Rượu-vang đỏ 7 giờ","exposure":{"breached":true,"reported":false}}"#,
        );
        let checks = v["result"]["checks"].as_array().expect("checks");
        assert_eq!(checks.last().expect("a check")["code"], "breach");
        assert_eq!(v["result"]["accepted"], false);
        assert_eq!(v["result"]["problems"][0]["code"], "breach.corpus");
        let clean = call(r#"{"op":"evaluate","password":"Rượu-vang đỏ 7 giờ","exposure":{}}"#);
        assert_eq!(clean["result"]["accepted"], true, "{clean}");
        let bad = call(r#"{"op":"evaluate","password":"x","exposure":{"breached":1}}"#);
        assert_eq!(bad["error"]["field"], "exposure.breached");
    }

    #[test]
    fn refusals_have_codes_and_never_echo_values() {
        for (request, code, field) in [
            ("", "request.json", ""),
            ("{", "request.json", ""),
            (r#"{"op":"evaluate"}"#, "request.missing", "password"),
            (r#"{"op":"fly"}"#, "request.invalid", "op"),
            (
                r#"{"op":"evaluate","password":"hunter2","extra":1}"#,
                "request.invalid",
                "extra",
            ),
            (
                r#"{"op":"evaluate","password":["hunter2"]}"#,
                "request.invalid",
                "password",
            ),
            (
                r#"{"op":"evaluate","password":"x","locale":"fr"}"#,
                "request.invalid",
                "locale",
            ),
            (
                r#"{"op":"evaluate","password":"x","policy":{"min_length":0}}"#,
                "policy.invalid",
                "policy.min_length",
            ),
            (
                r#"{"op":"generate","entropy":"zz"}"#,
                "request.invalid",
                "entropy",
            ),
            (
                r#"{"op":"lifecycle","decision":{"kind":"history_to_keep"}}"#,
                "request.missing",
                "now",
            ),
            (
                r#"{"op":"evaluate","password":"hunter2"} {"#,
                "request.json",
                "",
            ),
        ] {
            let out = handle(request.as_bytes());
            assert!(!out.contains("hunter2"), "{out}");
            let v: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["ok"], false, "{request}");
            assert_eq!(v["error"]["code"], code, "{request}: {out}");
            assert_eq!(v["error"]["field"], field, "{request}: {out}");
        }
        let v: Value = serde_json::from_str(&handle(&[0xff, 0xfe])).unwrap();
        assert_eq!(v["error"]["code"], "request.utf8");
    }

    #[test]
    fn describe_generate_lifecycle() {
        let d = call(r#"{"op":"describe","policy":{"id":"x","min_length":12}}"#);
        assert_eq!(d["result"]["abi"], ABI_VERSION);
        assert_eq!(d["result"]["policy"]["id"], "x");
        assert_eq!(d["result"]["policy"]["min_length"], 12);
        let g = call(
            r#"{"op":"generate","entropy":"ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"}"#,
        );
        let pw = g["result"]["password"].as_str().unwrap();
        assert_eq!(
            pw.chars().count(),
            Policy::default().generated_length as usize
        );
        let age = call(
            r#"{"op":"lifecycle","now":15552000,"decision":{"kind":"password_age","changed_at":0}}"#,
        );
        assert_eq!(age["result"]["status"], "expired");
        let lock =
            call(r#"{"op":"lifecycle","now":100,"decision":{"kind":"lockout","failures":[]}}"#);
        assert_eq!(lock["result"]["status"], "allowed");
        let wait = call(
            r#"{"op":"lifecycle","now":3600,"decision":{"kind":"change_allowed","last_change":0}}"#,
        );
        assert_eq!(wait["result"]["wait_seconds"], 23 * 3600);
    }

    #[test]
    fn warm_up_requests_all_succeed() {
        for r in WARM_UP {
            assert_eq!(call(r)["ok"], true, "{r}");
        }
    }
}
