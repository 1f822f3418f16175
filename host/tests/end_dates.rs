//! Accounts with an end date (the regulation: revoke accounts no longer needed — staff who
//! retired, left or moved) over real HTTP on SQLite and PostgreSQL: set at creation or by an
//! administrator, refused at login from the end on, revoked by the sweep with the owner and
//! the administrators told, listed in the report 30 days ahead.

#[macro_use]
mod common;

use common::db::{database, scalar, Backend};
use common::server::{get, login, post, scratch, serve_in, Server};
use serde_json::{json, Value};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const TOKEN: &str = "admin-token-for-tests-0123456789abcdef";
const PW: &str = "Trống-Đồng#Xanh-Biếc42";
const DAY: u64 = 86_400;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

fn create(s: &Server, username: &str, valid_until: Option<&str>) -> (u16, Value) {
    let mut body = json!({"username": username, "email": format!("{username}@example.vn"),
                          "kind": "staff", "password": PW});
    if let Some(v) = valid_until {
        body["valid_until"] = v.into();
    }
    post(&s.addr, "/v1/accounts", Some(TOKEN), &body)
}

/// Waits (at most 10 s) until the outbox holds `n` messages.
fn outbox(s: &Server, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mails = s.outbox();
        if mails.len() >= n || Instant::now() > deadline {
            return mails;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn terms_end_and_the_sweep_revokes(backend: Backend) {
    let dir = scratch("end-dates");
    let db = database(backend, &dir);
    let args = [
        "--database",
        db.as_str(),
        "--admin-token",
        TOKEN,
        "--admin-email",
        "quantri@example.vn",
    ];
    let s = serve_in(dir, &args);
    assert_eq!(create(&s, "canbo.huu", Some("2030-06-30")).0, 201);
    // Only an administrator sets an end, and a bad date is refused by name.
    let (status, v) = post(
        &s.addr,
        "/v1/accounts",
        None,
        &json!({"username": "dan1", "email": "d@example.vn", "kind": "citizen", "password": PW,
                "valid_until": "2030-06-30"}),
    );
    assert_eq!((status, code(&v)), (403, "auth.admin_only"));
    let (status, v) = create(&s, "canbo.sai", Some("2030-02-30"));
    assert_eq!((status, code(&v)), (422, "request.invalid"), "{v}");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("valid_until"));

    // Far from its end: logs in (to the OTP enrolment staff need), not in the report.
    assert_eq!(login(&s, "canbo.huu", PW).0, 200);
    let (_, report) = get(&s.addr, "/v1/admin/report", Some(TOKEN));
    assert_eq!(report["ending_soon"], json!([]), "{report}");

    // Ten days left: listed.
    let end = now() + 10 * DAY;
    let (status, v) = post(
        &s.addr,
        "/v1/admin/accounts/canbo.huu/valid-until",
        Some(TOKEN),
        &json!({"valid_until": end.to_string(), "reason": "nghỉ hưu"}),
    );
    assert_eq!((status, v["valid_until"].as_u64()), (200, Some(end)), "{v}");
    let (_, report) = get(&s.addr, "/v1/admin/report", Some(TOKEN));
    assert_eq!(
        report["ending_soon"][0]["username"], "canbo.huu",
        "{report}"
    );
    assert_eq!(report["ending_soon"][0]["valid_until"].as_u64(), Some(end));

    // A dry run says what the sweep would do and changes nothing; the sweep then revokes it.
    let as_of = (end + DAY).to_string();
    let (_, dry) = post(
        &s.addr,
        "/v1/admin/sweep",
        Some(TOKEN),
        &json!({"as_of": as_of, "dry_run": true}),
    );
    assert_eq!(dry["revoked"][0]["username"], "canbo.huu", "{dry}");
    assert_eq!(login(&s, "canbo.huu", PW).0, 200);
    let before = s.outbox().len();
    let (status, swept) = post(
        &s.addr,
        "/v1/admin/sweep",
        Some(TOKEN),
        &json!({"as_of": as_of}),
    );
    assert_eq!(status, 200, "{swept}");
    assert_eq!(swept["revoked"][0]["username"], "canbo.huu");
    let mails = outbox(&s, before + 2);
    let told: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("hết thời hạn sử dụng"))
        .collect();
    assert!(
        told.iter().any(|m| m.contains("To: canbo.huu@example.vn"))
            && told.iter().any(|m| m.contains("To: quantri@example.vn")),
        "the owner and the administrators are told: {mails:?}"
    );
    let (status, v) = login(&s, "canbo.huu", PW);
    assert_eq!(
        (status, v["error"]["detail"]["reason"].as_str()),
        (423, Some("ended")),
        "{v}"
    );
    // A second sweep finds nothing more to do.
    let (_, again) = post(
        &s.addr,
        "/v1/admin/sweep",
        Some(TOKEN),
        &json!({"as_of": as_of}),
    );
    assert_eq!(again["revoked"], json!([]));
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'account.revoked' AND actor = 'sweep'"
        ),
        1
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'account.end_set'"
        ),
        1
    );
}

fn an_ended_term_is_refused_before_the_sweep(backend: Backend) {
    let dir = scratch("end-dates-login");
    let db = database(backend, &dir);
    let s = serve_in(dir, &["--database", db.as_str(), "--admin-token", TOKEN]);
    let past = (now() - 60).to_string();
    assert_eq!(create(&s, "canbo.cu", Some(&past)).0, 201);
    // The right password: refused with the reason (only its holder learns it).
    let (status, v) = login(&s, "canbo.cu", PW);
    assert_eq!(
        (status, v["error"]["detail"]["reason"].as_str()),
        (423, Some("ended")),
        "{v}"
    );
    // A wrong one: the usual answer.
    let (status, v) = login(&s, "canbo.cu", "Sai-Mật-Khẩu#2024");
    assert_eq!((status, code(&v)), (401, "login.failed"));
    // Cleared by an administrator: it logs in again.
    let (status, _) = post(
        &s.addr,
        "/v1/admin/accounts/canbo.cu/valid-until",
        Some(TOKEN),
        &json!({"valid_until": null}),
    );
    assert_eq!(status, 200);
    assert_eq!(login(&s, "canbo.cu", PW).0, 200);
}

on_both!(
    terms_end_and_the_sweep_revokes,
    an_ended_term_is_refused_before_the_sweep
);
