//! The account API end to end: `matkhau serve` over real HTTP on loopback, against a SQLite file
//! and a real PostgreSQL server (every test runs on both). Time passing (six months, three days)
//! is simulated by ageing the stored times in the database.

#[macro_use]
mod common;

use common::db::{database, exec, scalar, Backend};
use common::mail::{smtp_server, temporary_password};
use common::server::{change, get, http, login, post, scratch, serve_in, Server};
use serde_json::{json, Value};

const TOKEN: &str = "admin-token-for-tests-0123456789abcdef";
const DAY: i64 = 86_400;
const PW: [&str; 8] = [
    "Trống-Đồng#Xanh-Biếc42",
    "Sông-Hồng@Chảy-Mãi79",
    "Núi#Tản-Viên-Mây88",
    "Lúa-Chín&Vàng-Đồng57",
    "Cà-Phê%Sữa-Đá-Sáng63",
    "Hoa-Sen!Tháp-Mười24",
    "Biển-Xanh*Cát-Trắng35",
    "Gió-Lào^Miền-Trung17",
];

/// A server on `backend` with the admin token, plus its database URL.
fn start(backend: Backend, extra: &[&str]) -> (Server, String) {
    let dir = scratch("accounts");
    let db = database(backend, &dir);
    let mut args = vec!["--database", db.as_str(), "--admin-token", TOKEN];
    args.extend_from_slice(extra);
    (serve_in(dir, &args), db)
}

fn register(s: &Server, username: &str, kind: &str, password: &str) -> (u16, Value) {
    post(
        &s.addr,
        "/v1/accounts",
        None,
        &json!({"username": username, "email": format!("{username}@example.vn"), "kind": kind,
                "password": password, "context": {"full_name": "Đinh Thị Xuân Quỳnh"}}),
    )
}

fn admin(s: &Server, username: &str, action: &str) -> (u16, Value) {
    post(
        &s.addr,
        &format!("/v1/admin/accounts/{username}/{action}"),
        Some(TOKEN),
        &json!({}),
    )
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

/// Moves an account's stored times back by `seconds` (as if that much time had passed).
fn age(db: &str, username: &str, column: &str, seconds: i64) {
    let n = exec(
        db,
        &format!(
            "UPDATE accounts SET {column} = {column} - {seconds} WHERE username_key = '{username}'"
        ),
    );
    assert_eq!(n, 1);
}

fn audit_actions(s: &Server, username: &str) -> Vec<String> {
    let (status, page) = get(
        &s.addr,
        &format!("/v1/admin/audit?username={username}&limit=1000"),
        Some(TOKEN),
    );
    assert_eq!(status, 200, "{page}");
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

fn registration_login_and_change(backend: Backend) {
    let (s, db) = start(backend, &[]);
    // A weak but compliant password is refused with the verdict.
    let (status, v) = register(&s, "annv", "citizen", "Matkhau@123");
    assert_eq!((status, code(&v)), (422, "password.rejected"), "{v}");
    assert_eq!(v["error"]["detail"]["accepted"], false);
    // Built from the user's own name: refused too.
    let (status, v) = register(&s, "annv", "citizen", "DinhXuanQuynh@1990");
    assert_eq!(status, 422, "{v}");
    let (status, v) = register(&s, "annv", "citizen", PW[0]);
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["verdict"]["accepted"], true);
    let (status, v) = register(&s, "ANNV", "citizen", PW[1]);
    assert_eq!((status, code(&v)), (409, "account.exists"));

    let (status, v) = login(&s, "AnNv", PW[0]);
    assert_eq!((status, v["status"].as_str()), (200, Some("ok")), "{v}");
    // Wrong password and unknown user: the same status and body.
    let (s1, wrong) = login(&s, "annv", PW[1]);
    let (s2, unknown) = login(&s, "nobody", PW[1]);
    assert_eq!((s1, s2), (401, 401));
    assert_eq!(wrong, unknown);

    // A change right after registration waits for the policy's minimum age.
    let (status, v) = change(&s, "annv", PW[0], PW[1]);
    assert_eq!((status, code(&v)), (429, "password.too_soon"), "{v}");
    age(&db, "annv", "password_set_at", 2 * DAY);
    for (new, expect) in [
        (PW[0], "password.reused"),
        ("Trống-Đồng#Xanh-Biếc43", "password.similar"),
        ("Matkhau@123", "password.rejected"),
    ] {
        let (status, v) = change(&s, "annv", PW[0], new);
        assert_eq!((status, code(&v)), (422, expect), "{new}: {v}");
    }
    let (status, v) = change(&s, "annv", PW[1], PW[2]);
    assert_eq!((status, code(&v)), (401, "login.failed"));
    let (status, v) = change(&s, "annv", PW[0], PW[1]);
    assert_eq!(
        (status, v["status"].as_str()),
        (200, Some("changed")),
        "{v}"
    );
    assert_eq!(login(&s, "annv", PW[0]).0, 401);
    assert_eq!(login(&s, "annv", PW[1]).0, 200);

    // History: PW[0] stays refused while it is among the last five, then may come back.
    let mut current = PW[1];
    for next in &PW[2..=6] {
        age(&db, "annv", "password_set_at", 2 * DAY);
        let (status, v) = change(&s, "annv", current, PW[0]);
        assert_eq!((status, code(&v)), (422, "password.reused"), "{v}");
        let (status, v) = change(&s, "annv", current, next);
        assert_eq!(status, 200, "{v}");
        current = next;
    }
    age(&db, "annv", "password_set_at", 2 * DAY);
    let (status, v) = change(&s, "annv", current, PW[0]);
    assert_eq!(status, 200, "six changes later PW[0] is forgotten: {v}");
    let id = scalar(&db, "SELECT id FROM accounts WHERE username_key = 'annv'");
    assert_eq!(
        scalar(
            &db,
            &format!("SELECT COUNT(*) FROM password_history WHERE account_id = {id}")
        ),
        5
    );
    // Every change was announced by mail (sent by the dispatcher after each commit).
    let notices = || {
        s.outbox()
            .iter()
            .filter(|m| m.contains("đã được thay đổi"))
            .count()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while notices() < 7 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(notices(), 7);
    let actions = audit_actions(&s, "annv");
    assert_eq!(
        actions.iter().filter(|a| *a == "password.changed").count(),
        7
    );
    assert!(!std::fs::read_to_string(s.dir.join("matkhau.db"))
        .unwrap_or_default()
        .contains(PW[0]));
}

fn lockout_and_throttling(backend: Backend) {
    let (s, _db) = start(backend, &["--address-max-failures", "30"]);
    assert_eq!(register(&s, "tranb", "citizen", PW[0]).0, 201);
    // The same wrong password repeated counts once.
    for _ in 0..6 {
        assert_eq!(login(&s, "tranb", "Sai-Mat-Khau#1").0, 401);
    }
    // Distinct wrong passwords: the fifth distinct failure locks (policy: 5 in 15 minutes).
    for i in 2..=4 {
        assert_eq!(login(&s, "tranb", &format!("Sai-Mat-Khau#{i}")).0, 401);
    }
    let (status, v) = login(&s, "tranb", "Sai-Mat-Khau#5");
    assert_eq!((status, code(&v)), (423, "login.locked"), "{v}");
    assert!(v["error"]["detail"]["until"].as_i64().is_some());
    // The right password does not get through a lock.
    let (status, _) = login(&s, "tranb", PW[0]);
    assert_eq!(status, 423);
    // Unknown usernames lock the same way, so a lock reveals nothing.
    for i in 1..=5 {
        let (status, _) = login(&s, "khongtontai", &format!("Sai-Mat-Khau#{i}"));
        assert_eq!(status, if i < 5 { 401 } else { 423 });
    }
    // An administrator unlocks.
    assert_eq!(admin(&s, "tranb", "unlock").0, 200);
    assert_eq!(login(&s, "tranb", PW[0]).0, 200);
    let actions = audit_actions(&s, "tranb");
    assert_eq!(
        actions.iter().filter(|a| *a == "login.locked_out").count(),
        1,
        "{actions:?}"
    );
    // Per client address: 30 failures in the window, then 429 before any hashing.
    let mut throttled = false;
    for i in 0..40 {
        let (status, v) = login(&s, &format!("user{i}"), "Sai-Mat-Khau#x");
        if status == 429 {
            assert_eq!(code(&v), "login.throttled");
            throttled = true;
            break;
        }
    }
    assert!(throttled);
}

fn forced_changes_and_reissue_by_smtp(backend: Backend) {
    let (smtp, inbox) = smtp_server();
    let (s, db) = start(backend, &["--smtp-url", &smtp]);
    assert_eq!(register(&s, "lethic", "citizen", PW[0]).0, 201);
    // Inside the warning window: ok, with the days left.
    age(&db, "lethic", "password_set_at", 170 * DAY - 3600);
    let (status, v) = login(&s, "lethic", PW[0]);
    assert_eq!(status, 200);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["password_expires_in_days"], 10);
    // After 180 days: must change, reason expired; the change needs no minimum age.
    age(&db, "lethic", "password_set_at", 11 * DAY);
    let (_, v) = login(&s, "lethic", PW[0]);
    assert_eq!(v["status"], "must_change");
    assert_eq!(v["reasons"], json!(["expired"]));
    assert!(v["messages"][0]["message"]
        .as_str()
        .unwrap()
        .contains("6 tháng"));

    // Re-issue: the mail reaches the SMTP server, the old password stops working.
    let (status, v) = admin(&s, "lethic", "reissue");
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["sent_to"], "l***@example.vn");
    let messages = inbox.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].0, vec!["lethic@example.vn".to_string()]);
    assert!(
        messages[0].1.contains("Subject: Mật khẩu tạm thời"),
        "{}",
        messages[0].1
    );
    assert!(messages[0].1.contains("English:"));
    let temporary = temporary_password(&messages[0].1);
    assert_eq!(login(&s, "lethic", PW[0]).0, 401);
    let (_, v) = login(&s, "lethic", &temporary);
    assert_eq!(v["reasons"], json!(["temporary"]));
    // The issued password works exactly once for the forced change.
    let (status, v) = change(&s, "lethic", &temporary, PW[0]);
    assert_eq!(
        (status, code(&v)),
        (422, "password.reused"),
        "old password: {v}"
    );
    let (status, v) = change(&s, "lethic", &temporary, PW[1]);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["satisfied"], json!(["temporary"]));
    assert_eq!(login(&s, "lethic", &temporary).0, 401);
    assert_eq!(change(&s, "lethic", &temporary, PW[2]).0, 401);
    assert_eq!(login(&s, "lethic", PW[1]).1["status"], "ok");

    // A temporary password is valid for 72 hours only.
    assert_eq!(admin(&s, "lethic", "reissue").0, 200);
    let temporary = temporary_password(&inbox.messages().last().unwrap().1);
    age(&db, "lethic", "password_set_at", 73 * 3600);
    let (status, v) = login(&s, "lethic", &temporary);
    assert_eq!((status, code(&v)), (403, "login.temporary_expired"));

    // First login of an account an administrator created: the password is issued by mail.
    let (status, v) = post(
        &s.addr,
        "/v1/accounts",
        Some(TOKEN),
        &json!({"username": "01G60_BV", "email": "it@bv.example.vn", "kind": "organisation"}),
    );
    assert_eq!((status, v["issued"].as_bool()), (201, Some(true)), "{v}");
    let issued = temporary_password(&inbox.messages().last().unwrap().1);
    let (_, v) = login(&s, "01g60_bv", &issued);
    assert_eq!(v["reasons"], json!(["first_login"]));
    // Without the token, nobody can create a staff account or skip the password.
    let (status, v) = post(
        &s.addr,
        "/v1/accounts",
        None,
        &json!({"username": "canbo1", "email": "cb@example.vn", "kind": "staff", "password": PW[2]}),
    );
    assert_eq!((status, code(&v)), (403, "auth.admin_only"));
}

fn weak_password_at_login_is_reissued(backend: Backend) {
    let dir = scratch("weak");
    let db = database(backend, &dir);
    let args = ["--database", db.as_str(), "--admin-token", TOKEN];
    let s = serve_in(dir.clone(), &args);
    assert_eq!(register(&s, "phamd", "citizen", PW[0]).0, 201);
    drop(s);
    // The policy tightens: 24 characters at least. The stored password is now weak.
    let policy = dir.join("policy.json");
    std::fs::write(
        &policy,
        r#"{"id": "strict", "min_length": 24, "generated_length": 28}"#,
    )
    .unwrap();
    let policy = policy.display().to_string();
    let mut strict = args.to_vec();
    strict.extend_from_slice(&["--policy", &policy]);
    let s = serve_in(dir, &strict);
    let (status, v) = login(&s, "phamd", PW[0]);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "must_change");
    assert_eq!(v["reasons"], json!(["weak"]));
    assert_eq!(v["temporary_password_sent"], true);
    assert_eq!(v["mail_to"], "p***@example.vn", "where it went, masked");
    assert_eq!(v["context"]["full_name"], "Đinh Thị Xuân Quỳnh");
    // By default mail goes to the outbox folder.
    let mails = s.outbox();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].contains("quá yếu"));
    let temporary = temporary_password(&mails[0]);
    assert!(
        temporary.chars().count() >= 24,
        "generated under the new policy"
    );
    assert_eq!(login(&s, "phamd", PW[0]).0, 401);
    let long = "Trống-Đồng#Xanh-Biếc-Ngàn-Năm-42";
    let (status, v) = change(&s, "phamd", &temporary, long);
    assert_eq!(status, 200, "{v}");
    assert_eq!(login(&s, "phamd", long).1["status"], "ok");
    let actions = audit_actions(&s, "phamd");
    assert!(
        actions.contains(&"password.reissued".to_string()),
        "{actions:?}"
    );
}

fn sweep_inactivity_and_expiry(backend: Backend) {
    let (smtp, inbox) = smtp_server();
    let (s, db) = start(backend, &["--smtp-url", &smtp]);
    assert_eq!(register(&s, "congty_a", "organisation", PW[0]).0, 201);
    assert_eq!(register(&s, "congty_b", "organisation", PW[1]).0, 201);
    assert_eq!(register(&s, "nguoidan", "citizen", PW[2]).0, 201);
    age(&db, "congty_a", "last_activity_at", 181 * DAY);
    age(&db, "congty_b", "last_activity_at", 179 * DAY);
    age(&db, "nguoidan", "password_set_at", 175 * DAY - 3600);
    // The portal records a dossier for congty_b: its clock restarts.
    let (status, _) = post(
        &s.addr,
        "/v1/accounts/congty_b/activity",
        Some(TOKEN),
        &json!({"reference": "HS-2026-001"}),
    );
    assert_eq!(status, 200);
    assert_eq!(
        post(&s.addr, "/v1/accounts/congty_b/activity", None, &json!({})).0,
        401
    );
    // Dry run: reports, changes and sends nothing.
    let mut sweep = common::matkhau();
    let out = sweep
        .args(["sweep", "--dry-run", "--database", &db, "--smtp-url", &smtp])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["locked"][0]["username"], "congty_a");
    assert_eq!(report["warned"][0]["username"], "nguoidan");
    assert_eq!(report["warned"][0]["days"], 5);
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM accounts WHERE status = 'active'"),
        3
    );
    assert!(inbox.messages().is_empty());
    // As of a later date, more would happen (congty_b would be idle too).
    let later = common::matkhau()
        .args([
            "sweep",
            "--dry-run",
            "--as-of",
            "2100-01-01",
            "--database",
            &db,
        ])
        .output()
        .unwrap();
    let later: Value = serde_json::from_slice(&later.stdout).unwrap();
    assert_eq!(later["locked"].as_array().unwrap().len(), 2);

    // The real sweep, twice (through the endpoint and the command): one lock, one warning, one
    // mail each.
    let (status, report) = post(&s.addr, "/v1/admin/sweep", Some(TOKEN), &json!({}));
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["locked"].as_array().unwrap().len(), 1);
    assert_eq!(report["warned"].as_array().unwrap().len(), 1);
    assert_eq!(report["mail_sent"], 2);
    let again = common::matkhau()
        .args(["sweep", "--database", &db, "--smtp-url", &smtp])
        .output()
        .unwrap();
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert!(again["locked"].as_array().unwrap().is_empty(), "{again}");
    assert!(again["warned"].as_array().unwrap().is_empty(), "{again}");
    let messages = inbox.messages();
    assert_eq!(messages.len(), 2);
    assert!(messages
        .iter()
        .any(|(to, m)| to[0] == "nguoidan@example.vn" && m.contains("sẽ hết hạn sau 5 ngày")));
    assert!(messages
        .iter()
        .any(|(to, m)| to[0] == "congty_a@example.vn" && m.contains("tạm khóa")));
    let (status, v) = login(&s, "congty_a", PW[0]);
    assert_eq!(
        (status, v["error"]["detail"]["reason"].as_str()),
        (423, Some("inactivity"))
    );
    // A wrong password on the locked account still says 401, not "locked".
    assert_eq!(login(&s, "congty_a", PW[1]).0, 401);
    assert_eq!(admin(&s, "congty_a", "unlock").0, 200);
    assert_eq!(login(&s, "congty_a", PW[0]).0, 200);
    // Revoked is final.
    assert_eq!(admin(&s, "nguoidan", "revoke").0, 200);
    assert_eq!(
        login(&s, "nguoidan", PW[2]).1["error"]["detail"]["reason"],
        "revoked"
    );
    assert_eq!(code(&admin(&s, "nguoidan", "unlock").1), "account.revoked");
    assert_eq!(code(&admin(&s, "nobody", "lock").1), "account.unknown");
}

fn bad_input_changes_nothing(backend: Backend) {
    let (s, db) = start(backend, &[]);
    assert_eq!(register(&s, "vuh", "citizen", PW[0]).0, 201);
    let before = scalar(&db, "SELECT COUNT(*) FROM audit_log");
    let json_header = [("Content-Type", "application/json")];
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("/v1/login", b"{not json".to_vec(), 400, "request.json"),
        ("/v1/login", vec![0xff, 0xfe], 400, "request.utf8"),
        ("/v1/login", br#"{"username": "vuh"}"#.to_vec(), 422, "request.invalid"),
        ("/v1/login", br#"{"username": 7, "password": "x"}"#.to_vec(), 422, "request.invalid"),
        (
            "/v1/login",
            br#"{"username": "vuh", "password": "x", "admin": true}"#.to_vec(),
            422,
            "request.invalid",
        ),
        (
            "/v1/accounts",
            br#"{"username": "a b", "email": "x@example.vn", "kind": "citizen", "password": "x"}"#
                .to_vec(),
            422,
            "account.invalid_username",
        ),
        (
            "/v1/accounts",
            br#"{"username": "abc", "email": "x\r\nBcc: y@z", "kind": "citizen", "password": "x"}"#
                .to_vec(),
            422,
            "account.invalid_email",
        ),
        (
            "/v1/accounts",
            br#"{"username": "abc", "email": "x@example.vn", "kind": "king", "password": "x"}"#
                .to_vec(),
            422,
            "request.invalid",
        ),
        (
            "/v1/accounts",
            br#"{"username": "abcd", "email": "x@example.vn", "kind": "citizen", "password": "Tr0ng-D0ng#Xanh-B1ec42", "context": {"full_name": 5}}"#
                .to_vec(),
            422,
            "request.invalid",
        ),
        (
            "/v1/accounts/vuh/password",
            br#"{"current_password": "x"}"#.to_vec(),
            422,
            "request.invalid",
        ),
    ];
    for (path, body, status, expected) in cases {
        let (got, text) = http(&s.addr, "POST", path, &json_header, &body);
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{text}"));
        assert_eq!((got, code(&v)), (status, expected), "{path} {text}");
    }
    let big = vec![b'a'; 100 * 1024];
    assert_eq!(
        http(&s.addr, "POST", "/v1/login", &json_header, &big).0,
        413
    );
    let long = "x".repeat(5000);
    let (status, v) = login(&s, "vuh", &long);
    assert_eq!((status, code(&v)), (413, "request.too_large"));
    assert_eq!(before, scalar(&db, "SELECT COUNT(*) FROM audit_log"));
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM accounts"), 1);
    // The audit log is append-only in the database itself.
    let mut conn_error = std::panic::catch_unwind(|| exec(&db, "DELETE FROM audit_log"));
    assert!(conn_error.is_err(), "audit rows could be deleted");
    conn_error = std::panic::catch_unwind(|| exec(&db, "UPDATE audit_log SET actor = 'x'"));
    assert!(conn_error.is_err(), "audit rows could be changed");
}

fn temporary_password_mail_is_queued_while_the_server_is_down(backend: Backend) {
    // An SMTP URL where nothing listens: every delivery fails.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let smtp = format!("smtp://127.0.0.1:{port}");
    let (s, db) = start(backend, &["--smtp-url", &smtp]);
    assert_eq!(register(&s, "dangf", "citizen", PW[0]).0, 201);
    let (status, v) = admin(&s, "dangf", "reissue");
    assert_eq!(
        (status, v["mail_sent"].as_bool()),
        (200, Some(false)),
        "{v}"
    );
    // The change is made and its mail waits in the queue, sealed, for the server to come back.
    assert_eq!(
        login(&s, "dangf", PW[0]).0,
        401,
        "the old password no longer works"
    );
    assert!(audit_actions(&s, "dangf").contains(&"password.reissued".to_string()));
    let pending = "SELECT COUNT(*) FROM mail_queue WHERE status = 'pending' AND sealed = 1 \
                   AND attempts = 1 AND last_error = 'mail.send'";
    assert_eq!(scalar(&db, pending), 1);
    let (status, v) = post(
        &s.addr,
        "/v1/accounts",
        Some(TOKEN),
        &json!({"username": "01J63_BV", "email": "it@bv.example.vn", "kind": "organisation"}),
    );
    assert_eq!(
        (status, v["mail_sent"].as_bool()),
        (201, Some(false)),
        "{v}"
    );
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM accounts"), 2);
    assert_eq!(scalar(&db, pending), 2);
}

fn hashes_are_upgraded_at_login(backend: Backend) {
    let dir = scratch("rehash");
    let db = database(backend, &dir);
    let s = serve_in(dir.clone(), &["--database", &db, "--admin-token", TOKEN]);
    assert_eq!(register(&s, "ngoe", "citizen", PW[0]).0, 201);
    drop(s);
    let hash = || {
        scalar(
            &db,
            "SELECT CASE WHEN password_hash LIKE '$argon2id$v=19$m=19456,t=3,p=1$%' THEN 1 ELSE 0 END \
             FROM accounts WHERE username_key = 'ngoe'",
        )
    };
    assert_eq!(hash(), 0);
    let s = serve_in(
        dir,
        &[
            "--database",
            &db,
            "--admin-token",
            TOKEN,
            "--argon2-iterations",
            "3",
        ],
    );
    assert_eq!(login(&s, "ngoe", PW[0]).1["status"], "ok");
    assert_eq!(hash(), 1, "re-hashed with the stronger parameters");
    assert_eq!(login(&s, "ngoe", PW[0]).1["status"], "ok");
    // Weaker than OWASP's minimum is refused at start.
    let out = common::matkhau()
        .args([
            "serve",
            "--argon2-memory-kib",
            "4096",
            "--argon2-iterations",
            "1",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("OWASP"));
}

on_both!(
    registration_login_and_change,
    lockout_and_throttling,
    forced_changes_and_reissue_by_smtp,
    weak_password_at_login_is_reissued,
    sweep_inactivity_and_expiry,
    bad_input_changes_nothing,
    hashes_are_upgraded_at_login,
    temporary_password_mail_is_queued_while_the_server_is_down
);

#[test]
fn serve_sweeps_periodically() {
    let (s, db) = start(Backend::Sqlite, &["--sweep-interval", "1"]);
    assert_eq!(register(&s, "congty_c", "organisation", PW[0]).0, 201);
    age(&db, "congty_c", "last_activity_at", 200 * DAY);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let locked = || scalar(&db, "SELECT COUNT(*) FROM accounts WHERE status = 'locked'");
    while locked() == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(locked(), 1);
    assert!(audit_actions(&s, "congty_c").contains(&"account.locked".to_string()));
}

#[test]
fn the_api_is_described_and_counted() {
    let (s, _) = start(Backend::Sqlite, &[]);
    let (status, v) = post(&s.addr, "/v1/admin/sweep", Some("wrong"), &json!({}));
    assert_eq!((status, code(&v)), (401, "auth.required"));
    let plain = serve_in(scratch("notoken"), &[]);
    let (status, _) = post(&plain.addr, "/v1/admin/sweep", Some(TOKEN), &json!({}));
    assert_eq!(status, 404, "no token configured: no admin routes");
    let (status, doc) = get(&s.addr, "/openapi.json", None);
    assert_eq!(status, 200);
    assert_eq!(
        doc["paths"]["/v1/login"]["post"]["requestBody"]["content"]["application/json"]["schema"]
            ["$ref"],
        "#/components/schemas/LoginBody"
    );
    assert_eq!(register(&s, "metric1", "citizen", PW[0]).0, 201);
    assert_eq!(login(&s, "metric1", PW[1]).0, 401);
    let (_, text) = http(&s.addr, "GET", "/metrics", &[], b"");
    assert!(
        text.contains(r#"matkhau_logins_total{outcome="login.failed"} 1"#),
        "{text}"
    );
    assert!(text.contains(r#"route="/v1/accounts",status="201""#));
    assert!(!text.contains(PW[0]) && !text.contains("metric1"));
}
