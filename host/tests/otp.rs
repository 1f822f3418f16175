//! One-time codes (TOTP) end to end over real HTTP on loopback, on SQLite and PostgreSQL:
//! enrolment confirmed by a first code, the two-step login, no replay, wrong codes locking the
//! account, single-use recovery codes, staff sent to enrolment, the administrator's reset, the
//! secret never in the database in clear, and answers that say nothing to a wrong password.

#[macro_use]
mod common;

use common::db::{database, scalar, strings, Backend};
use common::server::{login, post, scratch, serve_in, Server};
use serde_json::{json, Value};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use totp_rs::TOTP;

const TOKEN: &str = "admin-token-for-tests-0123456789abcdef";
const PW: &str = "Trống-Đồng#Xanh-Biếc42";

fn start(backend: Backend) -> (Server, String) {
    let dir = scratch("otp");
    let db = database(backend, &dir);
    let args = ["--database", db.as_str(), "--admin-token", TOKEN];
    (serve_in(dir, &args), db)
}

fn register(s: &Server, username: &str, kind: &str) {
    let (status, v) = post(
        &s.addr,
        "/v1/accounts",
        Some(TOKEN),
        &json!({"username": username, "email": format!("{username}@example.vn"), "kind": kind,
                "password": PW}),
    );
    assert_eq!(status, 201, "{v}");
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The authenticator app: the generator of the enrolment's URI, read by totp-rs's own parser.
fn app(enrolment: &Value) -> TOTP {
    let totp = TOTP::from_url(enrolment["otpauth_uri"].as_str().unwrap()).expect("an otpauth URI");
    assert_eq!(
        totp.get_secret_base32(),
        enrolment["secret"].as_str().unwrap()
    );
    totp
}

/// Enrols and confirms `username`'s app (with the code of the current step); (app, recovery
/// codes).
fn enrol(s: &Server, username: &str) -> (TOTP, Vec<String>) {
    let (status, e) = post(
        &s.addr,
        &format!("/v1/accounts/{username}/otp"),
        None,
        &json!({"password": PW}),
    );
    assert_eq!(status, 201, "{e}");
    assert!(
        e["qr_svg"].as_str().unwrap().starts_with("<?xml")
            || e["qr_svg"].as_str().unwrap().contains("<svg")
    );
    assert_eq!(
        (
            e["algorithm"].as_str(),
            e["digits"].as_u64(),
            e["period"].as_u64()
        ),
        (Some("SHA1"), Some(6), Some(30))
    );
    let totp = app(&e);
    let (status, c) = post(
        &s.addr,
        &format!("/v1/accounts/{username}/otp/confirm"),
        None,
        &json!({"password": PW, "code": totp.generate(now())}),
    );
    assert_eq!(status, 200, "{c}");
    let codes: Vec<String> = c["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    (totp, codes)
}

/// The password step: the ticket of an `otp_required` answer.
fn ticket(s: &Server, username: &str) -> String {
    let (status, v) = login(s, username, PW);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "otp_required", "{v}");
    assert!(
        v.get("context").is_none(),
        "nothing of the account before the code: {v}"
    );
    v["ticket"].as_str().unwrap().to_string()
}

fn second_step(s: &Server, ticket: &str, code: &str) -> (u16, Value) {
    post(
        &s.addr,
        "/v1/login/otp",
        None,
        &json!({"ticket": ticket, "code": code}),
    )
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

fn enrol_confirm_and_log_in_with_a_code(backend: Backend) {
    let (s, db) = start(backend);
    register(&s, "hoangvt", "citizen");
    // A citizen may log in without a code until the app is enrolled.
    assert_eq!(login(&s, "hoangvt", PW).1["status"], "ok");
    // A pending enrolment changes nothing yet, and a wrong first code confirms nothing.
    let (_, e) = post(
        &s.addr,
        "/v1/accounts/hoangvt/otp",
        None,
        &json!({"password": PW}),
    );
    let wrong = format!(
        "{:06}",
        (app(&e).generate(now()).parse::<u32>().unwrap() + 1) % 1_000_000
    );
    let (status, v) = post(
        &s.addr,
        "/v1/accounts/hoangvt/otp/confirm",
        None,
        &json!({"password": PW, "code": wrong}),
    );
    assert_eq!((status, code(&v)), (400, "otp.invalid"));
    assert_eq!(login(&s, "hoangvt", PW).1["status"], "ok");

    let (totp, _) = enrol(&s, "hoangvt");
    // Enrolling again is refused while the app is active (an administrator resets it).
    let (status, v) = post(
        &s.addr,
        "/v1/accounts/hoangvt/otp",
        None,
        &json!({"password": PW}),
    );
    assert_eq!((status, code(&v)), (409, "otp.enrolled"));
    let mails = outbox(&s, 1);
    assert!(
        mails.iter().any(|m| m.contains("OTP")),
        "the owner is told: {mails:?}"
    );

    // The confirmation used this step's code: the login takes the next step's (one step of
    // skew), and that code works once.
    let next = totp.generate(now() + 30);
    let t = ticket(&s, "hoangvt");
    let (status, v) = second_step(&s, &t, &next);
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (v["status"].as_str(), v["username"].as_str()),
        (Some("ok"), Some("hoangvt"))
    );
    // The ticket is used up; the code cannot be replayed on a new ticket either.
    assert_eq!(code(&second_step(&s, &t, &next).1), "login.ticket_invalid");
    let t = ticket(&s, "hoangvt");
    let (status, v) = second_step(&s, &t, &next);
    assert_eq!((status, code(&v)), (401, "login.otp_failed"), "{v}");
    // A code two steps away is refused too.
    let far = totp.generate(now() + 90);
    assert_eq!(code(&second_step(&s, &t, &far).1), "login.otp_failed");
    assert_eq!(
        code(&second_step(&s, "00ff", &next).1),
        "login.ticket_invalid"
    );

    // The secret is never in the database in clear: neither its base 32 nor its bytes.
    let secret = totp.get_secret_base32();
    let raw = totp.secret.clone();
    for sealed in strings(&db, "SELECT sealed FROM otp_secrets") {
        assert!(!sealed.contains(&secret) && !sealed.contains(&hex::encode(&raw)));
    }
    if backend == Backend::Sqlite {
        let file = std::fs::read(s.dir.join("matkhau.db")).unwrap();
        let wal = std::fs::read(s.dir.join("matkhau.db-wal")).unwrap_or_default();
        for bytes in [&file, &wal] {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()));
            assert!(!bytes.windows(raw.len()).any(|w| w == raw.as_slice()));
        }
    }
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'otp.enrolled'"
        ),
        1
    );
}

fn wrong_codes_lock_the_account(backend: Backend) {
    let (s, _db) = start(backend);
    register(&s, "lanpt", "organisation");
    let (totp, _) = enrol(&s, "lanpt");
    let right = totp.generate(now() + 30);
    let t = ticket(&s, "lanpt");
    let wrong: Vec<String> = (1..=5u32)
        .map(|i| {
            format!(
                "{:06}",
                (right.parse::<u32>().unwrap() + i * 7919) % 1_000_000
            )
        })
        .collect();
    let answers: Vec<(u16, String)> = wrong
        .iter()
        .map(|w| {
            let (status, v) = second_step(&s, &t, w);
            (status, code(&v).to_string())
        })
        .collect();
    assert!(
        answers[..4]
            .iter()
            .all(|a| a == &(401, "login.otp_failed".to_string())),
        "{answers:?}"
    );
    assert_eq!(
        answers[4],
        (423, "login.locked".to_string()),
        "the fifth wrong code locks"
    );
    // Locked: the right code does not get in, nor does the right password.
    assert_eq!(second_step(&s, &t, &right).0, 423);
    assert_eq!(login(&s, "lanpt", PW).0, 423);
}

fn recovery_codes_work_once(backend: Backend) {
    let (s, db) = start(backend);
    register(&s, "minhlq", "citizen");
    let (_, codes) = enrol(&s, "minhlq");
    let t = ticket(&s, "minhlq");
    // Typed in capitals without dashes, as people do.
    let typed = codes[3].replace('-', "").to_uppercase();
    let (status, v) = second_step(&s, &t, &typed);
    assert_eq!((status, v["status"].as_str()), (200, Some("ok")), "{v}");
    let t = ticket(&s, "minhlq");
    assert_eq!(code(&second_step(&s, &t, &codes[3]).1), "login.otp_failed");
    assert_eq!(second_step(&s, &t, &codes[4]).0, 200);
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'otp.recovery_used'"
        ),
        2
    );
    // Stored as keyed hashes only.
    for stored in strings(&db, "SELECT code_hash FROM otp_recovery") {
        assert!(codes.iter().all(|c| !stored.contains(&c.replace('-', ""))));
    }
}

fn staff_enrol_first_and_an_admin_resets(backend: Backend) {
    let (s, db) = start(backend);
    register(&s, "canbo.hanoi", "staff");
    let (status, v) = login(&s, "canbo.hanoi", PW);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "must_change");
    assert_eq!(v["reasons"], json!(["otp_enrol"]), "{v}");
    assert_eq!(v["messages"][0]["code"], "must_change.otp_enrol");
    let (totp, _) = enrol(&s, "canbo.hanoi");
    let t = ticket(&s, "canbo.hanoi");
    let (_, v) = second_step(&s, &t, &totp.generate(now() + 30));
    assert_eq!(v["status"], "ok", "{v}");

    let before = outbox(&s, 1).len();
    let (status, v) = post(
        &s.addr,
        "/v1/admin/accounts/canbo.hanoi/otp/reset",
        Some(TOKEN),
        &json!({"reason": "lost phone"}),
    );
    assert_eq!((status, v["removed"].as_bool()), (200, Some(true)), "{v}");
    assert!(outbox(&s, before + 1).len() > before, "the owner is told");
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM otp_recovery"),
        0,
        "its recovery codes go with it"
    );
    let (_, v) = login(&s, "canbo.hanoi", PW);
    assert_eq!(v["reasons"], json!(["otp_enrol"]), "{v}");
    let (status, _) = post(
        &s.addr,
        "/v1/admin/accounts/canbo.hanoi/otp/reset",
        None,
        &json!({}),
    );
    assert_eq!(status, 401, "the reset needs the admin token");
}

fn a_wrong_password_says_nothing_of_otp(backend: Backend) {
    let (s, _db) = start(backend);
    register(&s, "enrolled", "citizen");
    register(&s, "plain", "citizen");
    enrol(&s, "enrolled");
    let answers: Vec<(u16, Value)> = ["enrolled", "plain", "nobody"]
        .iter()
        .map(|u| login(&s, u, "Sai-Mật-Khẩu#2024"))
        .collect();
    for (status, v) in &answers {
        assert_eq!((*status, v), (answers[0].0, &answers[0].1));
    }
    assert_eq!(code(&answers[0].1), "login.failed");
}

on_both!(
    enrol_confirm_and_log_in_with_a_code,
    wrong_codes_lock_the_account,
    recovery_codes_work_once,
    staff_enrol_first_and_an_admin_resets,
    a_wrong_password_says_nothing_of_otp
);
