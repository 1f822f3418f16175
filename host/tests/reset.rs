//! Self-service reset ("Quên mật khẩu?") and the account's data for the change pages, end to
//! end over real HTTP on loopback, on SQLite and PostgreSQL: the same answer for unknown and
//! known logins, a code mailed only to the registered address (never stored or queued in
//! clear), single use, expiry, the hourly allowance, the full policy with the account's own
//! data, history, the notice, the audit.

#[macro_use]
mod common;

use common::db::{database, exec, scalar, strings, Backend};
use common::server::{change, login, post, scratch, serve_in, Server};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const TOKEN: &str = "admin-token-for-tests-0123456789abcdef";
const PW: &str = "Trống-Đồng#Xanh-Biếc42";
const NEW: &str = "Sông-Hồng@Chảy-Mãi79";
const NEWER: &str = "Núi#Tản-Viên-Mây88";

fn start(backend: Backend) -> (Server, String) {
    let dir = scratch("reset");
    let db = database(backend, &dir);
    let args = [
        "--database",
        db.as_str(),
        "--admin-token",
        TOKEN,
        "--public-url",
        "https://dichvucong.example.vn",
    ];
    (serve_in(dir, &args), db)
}

fn register(s: &Server, username: &str) {
    let (status, v) = post(
        &s.addr,
        "/v1/accounts",
        None,
        &json!({"username": username, "email": format!("{username}@example.vn"), "kind": "citizen",
                "password": PW, "context": {"full_name": "Nguyễn Văn Hùng", "date_of_birth": "1990-05-17",
                "phone": "0912345678"}}),
    );
    assert_eq!(status, 201, "{v}");
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
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

fn reset_code(mail: &str) -> String {
    mail.lines()
        .find_map(|l| l.strip_prefix("Mã đặt lại: "))
        .unwrap_or_else(|| panic!("no reset code in {mail}"))
        .trim()
        .to_string()
}

fn request(s: &Server, login: &str) -> (u16, Value) {
    post(
        &s.addr,
        "/v1/password-reset",
        None,
        &json!({"login": login}),
    )
}

fn complete(s: &Server, code: &str, new: &str) -> (u16, Value) {
    post(
        &s.addr,
        "/v1/password-reset/complete",
        None,
        &json!({"code": code, "new_password": new}),
    )
}

fn reset_by_mailed_code(backend: Backend) {
    let (s, db) = start(backend);
    register(&s, "hungnv");
    // Unknown and known logins get the same answer.
    let unknown = request(&s, "khongco");
    let known = request(&s, "HungNV");
    assert_eq!(unknown.0, 202);
    assert_eq!(unknown, known);
    let mails = outbox(&s, 1);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert!(mail.contains("To: hungnv@example.vn"), "{mail}");
    let typed = reset_code(mail);
    assert!(
        mail.contains(&format!(
            "https://dichvucong.example.vn/dat-lai-mat-khau#ma={typed}"
        )),
        "{mail}"
    );
    // Neither the reset table nor the mail queue holds the code in clear.
    let plain = typed.replace('-', "");
    for stored in strings(&db, "SELECT code_hash FROM password_resets")
        .into_iter()
        .chain(strings(&db, "SELECT COALESCE(body, '') FROM mail_queue"))
    {
        assert!(!stored.contains(&typed) && !stored.contains(&plain));
    }

    // The code opens the account's own data, for the page's verdict.
    let (status, target) = post(
        &s.addr,
        "/v1/password-reset/verify",
        None,
        &json!({"code": typed.to_uppercase()}),
    );
    assert_eq!(status, 200, "{target}");
    assert_eq!(target["username"], "hungnv");
    assert_eq!(target["context"]["date_of_birth"], "1990-05-17");
    // The full policy with that data, and the history.
    let (status, v) = complete(&s, &typed, "Sóc-Trăng#17051990");
    assert_eq!((status, code(&v)), (422, "password.rejected"), "{v}");
    let problems = v["error"]["detail"]["problems"].to_string();
    assert!(problems.contains("personal"), "{problems}");
    let (status, v) = complete(&s, &typed, PW);
    assert_eq!((status, code(&v)), (422, "password.reused"), "{v}");
    let (status, v) = complete(&s, &typed, NEW);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "changed");
    // Single use.
    let (status, v) = complete(&s, &typed, NEWER);
    assert_eq!((status, code(&v)), (400, "reset.invalid"));
    assert_eq!(login(&s, "hungnv", PW).0, 401);
    assert_eq!(login(&s, "hungnv", NEW).1["status"], "ok");
    let mails = outbox(&s, 2);
    assert!(
        mails.iter().any(|m| m.contains("đã được đặt lại")),
        "{mails:?}"
    );
    let actions = strings(
        &db,
        "SELECT action FROM audit_log WHERE username = 'hungnv' ORDER BY id",
    );
    assert!(actions.contains(&"password.reset_requested".to_string()));
    assert!(actions.contains(&"password.reset".to_string()));
    // A wrong code, or something that is not a code at all.
    for bad in ["0000-0000-0000-0000-0000-0000-0000-0000", "x", ""] {
        let (status, v) = complete(&s, bad, NEWER);
        assert!(
            matches!((status, code(&v)), (400, "reset.invalid") | (422, _)),
            "{bad}: {v}"
        );
    }
}

fn codes_expire_are_superseded_and_limited(backend: Backend) {
    let (s, db) = start(backend);
    register(&s, "lanpt");
    // By the registered e-mail address.
    assert_eq!(request(&s, "LANPT@example.vn").0, 202);
    let first = reset_code(&outbox(&s, 1)[0]);
    // Expired.
    exec(
        &db,
        "UPDATE password_resets SET expires_at = expires_at - 3600",
    );
    assert_eq!(complete(&s, &first, NEW).0, 400);
    // A change after the request voids its code.
    assert_eq!(request(&s, "lanpt").0, 202);
    let second = reset_code(&outbox(&s, 2)[1]);
    exec(
        &db,
        "UPDATE password_resets SET created_at = created_at - 60",
    );
    // (Past the policy's minimum age between voluntary changes.)
    exec(
        &db,
        "UPDATE accounts SET password_set_at = password_set_at - 172800",
    );
    assert_eq!(change(&s, "lanpt", PW, NEW).0, 200);
    let (status, v) = complete(&s, &second, NEWER);
    assert_eq!((status, code(&v)), (400, "reset.invalid"), "{v}");
    // Three codes an hour: a fourth request is answered alike and mails nothing.
    let before = s
        .outbox()
        .iter()
        .filter(|m| m.contains("Mã đặt lại"))
        .count();
    assert_eq!(before, 2);
    for _ in 0..3 {
        assert_eq!(request(&s, "lanpt").0, 202);
    }
    std::thread::sleep(Duration::from_millis(500));
    let after = outbox(&s, 5)
        .iter()
        .filter(|m| m.contains("Mã đặt lại"))
        .count();
    assert_eq!(after, 3, "one more within the hour's allowance of three");
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM password_resets"),
        3,
        "the refused request stored nothing"
    );
}

fn a_reset_clears_failed_logins(backend: Backend) {
    let (s, _) = start(backend);
    register(&s, "minhtq");
    // Someone guesses until the account locks.
    let mut locked = false;
    for i in 0..12 {
        let (status, _) = login(&s, "minhtq", &format!("Sai-Mật-Khẩu#{i}"));
        if status == 423 {
            locked = true;
            break;
        }
    }
    assert!(locked);
    assert_eq!(request(&s, "minhtq").0, 202);
    let typed = reset_code(&outbox(&s, 1)[0]);
    assert_eq!(complete(&s, &typed, NEW).0, 200);
    assert_eq!(login(&s, "minhtq", NEW).1["status"], "ok");
}

fn change_pages_get_the_accounts_data(backend: Backend) {
    let (s, db) = start(backend);
    register(&s, "thuydt");
    let path = "/v1/accounts/thuydt/context";
    let (status, v) = post(&s.addr, path, None, &json!({"password": "Sai#Mat-Khau-99"}));
    assert_eq!((status, code(&v)), (401, "login.failed"));
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM login_failures WHERE username_key = 'thuydt'"
        ),
        1,
        "a wrong password counts like a failed login"
    );
    let (status, v) = post(&s.addr, path, None, &json!({"password": PW}));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["context"]["full_name"], "Nguyễn Văn Hùng");
    assert_eq!(v["context"]["phone"], "0912345678");
    assert_eq!(v["context"]["email"], "thuydt@example.vn");
    // A required change gives the data with the log-in answer.
    exec(
        &db,
        "UPDATE accounts SET password_set_at = password_set_at - 200 * 86400 WHERE username_key = 'thuydt'",
    );
    let (status, v) = login(&s, "thuydt", PW);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "must_change");
    assert_eq!(v["context"]["date_of_birth"], "1990-05-17");
    // An ordinary log-in does not carry it.
    exec(
        &db,
        "UPDATE accounts SET password_set_at = password_set_at + 200 * 86400 WHERE username_key = 'thuydt'",
    );
    let (_, v) = login(&s, "thuydt", PW);
    assert_eq!(v["status"], "ok");
    assert!(v.get("context").is_none(), "{v}");
}

on_both!(
    reset_by_mailed_code,
    codes_expire_are_superseded_and_limited,
    a_reset_clears_failed_logins,
    change_pages_get_the_accounts_data
);
