//! One JSON request in, one JSON response out (ABI.md, "Requests" and "Responses").

use matkhau_core::lifecycle::{self, Failure};
use matkhau_core::{evaluate_exposed, generate, messages, Context, Exposure, Locale, Policy};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Value};

/// The ABI version this crate implements (ABI.md).
pub const ABI_VERSION: u32 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    op: Op,
    #[serde(default)]
    now: Option<i64>,
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    policy: Option<Box<RawValue>>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    context: Option<Context>,
    #[serde(default)]
    exposure: Option<Exposure>,
    #[serde(default)]
    entropy: Option<String>,
    #[serde(default)]
    decision: Option<Decision>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Op {
    Describe,
    Evaluate,
    Generate,
    Lifecycle,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum Decision {
    PasswordAge { changed_at: i64 },
    OrgInactivity { last_activity: i64 },
    TemporaryPassword { issued_at: i64 },
    ChangeAllowed { last_change: i64 },
    HistoryToKeep,
    Lockout { failures: Vec<Failure> },
    Similar { previous: String, candidate: String },
}

/// A refused request: a stable code, the field it concerns, and a message that never quotes the
/// request (it may hold a password).
#[derive(Serialize)]
struct Refusal {
    code: &'static str,
    field: String,
    message: String,
}

impl Refusal {
    fn new(code: &'static str, field: &str, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            field: field.to_string(),
            message: message.into(),
        }
    }

    fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Envelope<'a> {
            ok: bool,
            error: &'a Refusal,
        }
        serde_json::to_string(&Envelope {
            ok: false,
            error: self,
        })
        .unwrap_or_default()
    }
}

/// Handles one request (UTF-8 JSON) and returns the response JSON. Never panics on any input.
pub fn handle(request: &[u8]) -> String {
    match respond(request) {
        Ok(result) => {
            let mut out = String::with_capacity(result.len() + 20);
            out.push_str(r#"{"ok":true,"result":"#);
            out.push_str(&result);
            out.push('}');
            out
        }
        Err(refusal) => refusal.to_json(),
    }
}

fn respond(bytes: &[u8]) -> Result<String, Refusal> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Refusal::new("request.utf8", "", "the request is not valid UTF-8"))?;
    let request = parse(text)?;
    let policy = match &request.policy {
        None => Policy::default(),
        Some(raw) => Policy::from_json(raw.get()).map_err(|e| Refusal {
            code: e.code(),
            field: format!("policy.{}", e.field),
            message: e.reason.clone(),
        })?,
    };
    let locale = match request.locale.as_deref() {
        None => Locale::default(),
        Some(tag) => Locale::parse(tag)
            .ok_or_else(|| Refusal::new("request.invalid", "locale", "locale must be vi or en"))?,
    };
    match request.op {
        Op::Describe => Ok(describe(&policy)),
        Op::Evaluate => {
            let password = request
                .password
                .as_deref()
                .ok_or_else(|| missing("password"))?;
            let context = request.context.unwrap_or_default();
            let exposure = request.exposure.as_ref();
            Ok(evaluate_exposed(password, &context, &policy, locale, exposure).to_json())
        }
        Op::Generate => {
            let hex = request
                .entropy
                .as_deref()
                .ok_or_else(|| missing("entropy"))?;
            let entropy = parse_entropy(hex)?;
            Ok(json!({"password": generate(&policy, entropy)}).to_string())
        }
        Op::Lifecycle => {
            let now = request.now.ok_or_else(|| missing("now"))?;
            let decision = request.decision.ok_or_else(|| missing("decision"))?;
            Ok(decide(&decision, now, &policy).to_string())
        }
    }
}

/// Parses the envelope; errors name the field but never echo a value.
fn parse(text: &str) -> Result<Request, Refusal> {
    let mut de = serde_json::Deserializer::from_str(text);
    let request: Request = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            Refusal::new("request.json", "", "the request is not a JSON object")
        } else {
            Refusal::new(
                "request.invalid",
                if field == "." { "" } else { &field },
                "unknown field, missing field or wrong type",
            )
        }
    })?;
    de.end()
        .map_err(|_| Refusal::new("request.json", "", "trailing characters after the request"))?;
    Ok(request)
}

fn missing(field: &str) -> Refusal {
    Refusal::new(
        "request.missing",
        field,
        format!("this operation needs `{field}`"),
    )
}

fn parse_entropy(hex: &str) -> Result<[u8; 32], Refusal> {
    let bad = || {
        Refusal::new(
            "request.invalid",
            "entropy",
            "entropy must be 64 hex digits",
        )
    };
    if hex.len() != 64 || !hex.is_ascii() {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(out)
}

fn describe(policy: &Policy) -> String {
    json!({
        "abi": ABI_VERSION,
        "core_version": env!("CARGO_PKG_VERSION"),
        "policy": policy,
        "policy_digest": policy.digest(),
        "codes": messages::CODES,
    })
    .to_string()
}

fn decide(decision: &Decision, now: i64, policy: &Policy) -> Value {
    let to_value = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
    match decision {
        Decision::PasswordAge { changed_at } => to_value(serde_json::to_value(
            lifecycle::password_age(*changed_at, now, policy),
        )),
        Decision::OrgInactivity { last_activity } => to_value(serde_json::to_value(
            lifecycle::org_inactivity(*last_activity, now, policy),
        )),
        Decision::TemporaryPassword { issued_at } => {
            json!({"valid": lifecycle::temporary_password_valid(*issued_at, now, policy)})
        }
        Decision::ChangeAllowed { last_change } => {
            match lifecycle::change_allowed(*last_change, now, policy) {
                Ok(()) => json!({"allowed": true}),
                Err(wait) => json!({"allowed": false, "wait_seconds": wait}),
            }
        }
        Decision::HistoryToKeep => json!({"keep": lifecycle::history_to_keep(policy)}),
        Decision::Lockout { failures } => to_value(serde_json::to_value(lifecycle::lockout(
            failures, now, policy,
        ))),
        Decision::Similar {
            previous,
            candidate,
        } => to_value(serde_json::to_value(lifecycle::similarity(
            previous, candidate,
        ))),
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
