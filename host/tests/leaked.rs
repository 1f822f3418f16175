//! Compromised credentials end to end: the leaked-account intake (CLI and admin API) on SQLite and
//! PostgreSQL, the abnormal-account report, and breached-password screening with a corpus the
//! test builds itself (Have I Been Pwned's formats, nothing downloaded).

mod common;

use common::db::{database, exec, scalar, strings, Backend};
use common::mail::temporary_password;
use common::matkhau;
use common::server::{change, get, http, http_full, login, post, scratch, serve_in, Server};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

const TOKEN: &str = "admin-token-for-tests-0123456789abcdef";
const PW: [&str; 6] = [
    "Trống-Đồng#Xanh-Biếc42",
    "Sông-Hồng@Chảy-Mãi79",
    "Núi#Tản-Viên-Mây88",
    "Lúa-Chín&Vàng-Đồng57",
    "Cà-Phê%Sữa-Đá-Sáng63",
    "Hoa-Sen!Tháp-Mười24",
];
/// A strong-looking password the test's breach corpus holds.
const BREACHED: &str = "Rượu-vang đỏ 7 giờ chiều";
/// Reported with an unknown username: refused for everyone afterwards.
const LEAKED_ELSEWHERE: &str = "Cây-Đa#Giếng-Nước91";

fn register(s: &Server, username: &str, password: &str) -> (u16, Value) {
    post(
        &s.addr,
        "/v1/accounts",
        None,
        &json!({"username": username, "email": format!("{username}@example.vn"),
                "kind": "organisation", "password": password}),
    )
}

fn problems(v: &Value) -> Vec<String> {
    v["error"]["detail"]["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["code"].as_str().map(str::to_string))
        .collect()
}

/// The `breach` check of `/v1/check`'s verdict for `password`.
fn check_breach(s: &Server, password: &str) -> Value {
    let (_, v) = post(&s.addr, "/v1/check", None, &json!({"password": password}));
    let checks = v["checks"].as_array().expect("a verdict");
    checks
        .iter()
        .find(|c| c["code"] == "breach")
        .cloned()
        .unwrap_or(Value::Null)
}

/// `POST /v1/admin/leaked?QUERY` with `report` as the body.
fn leaked_api(s: &Server, query: &str, report: &str) -> (u16, Value) {
    let auth = format!("Bearer {TOKEN}");
    let (status, text) = http(
        &s.addr,
        "POST",
        &format!("/v1/admin/leaked?{query}"),
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        report.as_bytes(),
    );
    (status, serde_json::from_str(&text).unwrap_or(json!(text)))
}

fn outcomes(report: &Value) -> Vec<(u64, String, String)> {
    report["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| {
            (
                a["line"].as_u64().unwrap(),
                a["username"].as_str().unwrap().to_string(),
                a["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn status_of(db: &str, username: &str) -> (i64, i64) {
    let locked = scalar(
        db,
        &format!("SELECT CASE WHEN status = 'locked' THEN 1 ELSE 0 END FROM accounts WHERE username_key = '{username}'"),
    );
    let leaked = scalar(
        db,
        &format!("SELECT CASE WHEN forced_reason = 'leaked' THEN 1 ELSE 0 END FROM accounts WHERE username_key = '{username}'"),
    );
    (locked, leaked)
}

fn leak_intake(backend: Backend) {
    let dir = scratch("leaked");
    let db = database(backend, &dir);
    let s = serve_in(
        dir.clone(),
        &[
            "--database",
            &db,
            "--admin-token",
            TOKEN,
            "--trust-forwarded-for",
        ],
    );
    for (user, pw) in [
        ("01G60_BV", PW[0]),
        ("01J63_BV", PW[1]),
        ("annv", PW[2]),
        ("nghiviec", PW[3]),
    ] {
        assert_eq!(register(&s, user, pw).0, 201, "{user}");
    }
    // /v1/check's blocklist snapshot is loaded now, before any report.
    assert_eq!(
        check_breach(&s, LEAKED_ELSEWHERE),
        json!({"code": "breach", "ok": true})
    );
    let auth = format!("Bearer {TOKEN}");
    assert_eq!(
        http(
            &s.addr,
            "POST",
            "/v1/admin/accounts/nghiviec/revoke",
            &[("Authorization", &auth)],
            b""
        )
        .0,
        200
    );
    let report = format!(
        "# Báo cáo tài khoản bị lộ, nhóm 01G60_BV / 01J63_BV\n\
         01G60_BV:{}\n\
         01J63_BV:Mat-Khau-Cu#2023x\n\
         annv\n\
         khongtontai:{LEAKED_ELSEWHERE}\n\
         tên sai:{}\n\
         nghiviec:{}\n",
        PW[0], PW[5], PW[3]
    );
    let expected = [
        (2, "01G60_BV", "locked_reset"),
        (3, "01J63_BV", "reset"),
        (4, "annv", "reset_unverified"),
        (5, "khongtontai", "unknown_user"),
        (6, "", "malformed"),
        (7, "nghiviec", "revoked"),
    ];
    let as_tuples = |e: &[(u64, &str, &str)]| -> Vec<(u64, String, String)> {
        e.iter()
            .map(|(l, u, o)| (*l, u.to_string(), o.to_string()))
            .collect()
    };

    // A dry run through the API: the outcomes, and nothing changed or sent.
    let (status, dry) = leaked_api(&s, "dry_run=true&source=ticket-42", &report);
    assert_eq!(status, 200, "{dry}");
    assert_eq!(dry["dry_run"], true);
    assert_eq!(outcomes(&dry), as_tuples(&expected));
    assert_eq!(dry["accounts"][0]["leaked_password_valid"], true);
    assert_eq!(dry["accounts"][1]["leaked_password_valid"], false);
    assert_eq!(dry["summary"]["malformed"], 1);
    assert_eq!(login(&s, "01G60_BV", PW[0]).1["status"], "ok");
    assert_eq!(status_of(&db, "01g60_bv"), (0, 0));
    assert!(s.outbox().is_empty());
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM leak_reports"), 0);
    assert_eq!(
        register(&s, "thu1", LEAKED_ELSEWHERE).0,
        201,
        "not yet blocklisted"
    );

    // The real import through the CLI, with the written report.
    let file = dir.join("bao-cao.txt");
    std::fs::write(&file, &report).unwrap();
    let written = dir.join("ket-qua.csv");
    let out = matkhau()
        .args(["leaked", "import"])
        .arg(&file)
        .args(["--database", &db, "--report"])
        .arg(&written)
        .arg("--outbox")
        .arg(dir.join("outbox"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("locked_reset"), "{stderr}");
    let summary: Value = serde_json::from_slice(&out.stdout).expect("summary JSON");
    assert_eq!(summary["summary"]["reset"], 1);
    let csv = std::fs::read_to_string(&written).unwrap();
    assert!(
        csv.starts_with("line,username,outcome,leaked_password_valid,detail\n"),
        "{csv}"
    );
    assert!(csv.contains("2,01G60_BV,locked_reset,yes,"), "{csv}");
    assert!(csv.contains("3,01J63_BV,reset,no,"), "{csv}");
    assert!(csv.contains("6,,malformed,,username"), "{csv}");
    for secret in PW.iter().chain([&LEAKED_ELSEWHERE, &"Mat-Khau-Cu#2023x"]) {
        assert!(!csv.contains(secret), "the report quotes a password");
    }

    // Still-valid leak: the leaked password is dead, the account locked until the reset.
    assert_eq!(status_of(&db, "01g60_bv"), (1, 1));
    assert_eq!(login(&s, "01G60_BV", PW[0]).0, 401);
    let mail = s.outbox();
    assert_eq!(mail.len(), 3, "one temporary password per reset account");
    let to = |user: &str| {
        mail.iter()
            .find(|m| m.contains(&format!("{user}@example.vn")))
            .unwrap_or_else(|| panic!("no mail to {user}"))
            .clone()
    };
    let temporary = temporary_password(&to("01G60_BV"));
    let (status, v) = login(&s, "01G60_BV", &temporary);
    assert_eq!(status, 200, "the temporary password opens the lock: {v}");
    assert_eq!(v["reasons"], json!(["temporary", "leaked"]));
    let (status, v) = change(&s, "01G60_BV", &temporary, PW[4]);
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        status_of(&db, "01g60_bv"),
        (0, 0),
        "the reset ends the lock"
    );
    assert_eq!(login(&s, "01G60_BV", PW[4]).1["status"], "ok");
    // Stale leak and username only: reset, not locked.
    assert_eq!(status_of(&db, "01j63_bv"), (0, 1));
    assert_eq!(login(&s, "01J63_BV", PW[1]).0, 401);
    let (_, v) = login(&s, "annv", &temporary_password(&to("annv")));
    assert_eq!(v["reasons"], json!(["temporary", "leaked"]));
    // The revoked account stays revoked and gets no mail.
    assert!(!mail.iter().any(|m| m.contains("nghiviec@")));

    // Every reported password is refused for everyone from now on, unknown user's too.
    let (status, v) = register(&s, "moi1", LEAKED_ELSEWHERE);
    assert_eq!(status, 422, "{v}");
    assert_eq!(problems(&v), ["breach.reported"]);
    let (status, v) = change(&s, "thu1", LEAKED_ELSEWHERE, PW[2]);
    assert_eq!(
        status, 200,
        "a blocklisted current password needs no minimum age: {v}"
    );
    assert_eq!(v["satisfied"], json!(["breached"]));
    let (status, v) = register(&s, "moi2", PW[0]);
    assert_eq!(
        (status, problems(&v)),
        (422, vec!["breach.reported".to_string()])
    );
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM leaked_passwords"), 4);
    // /v1/check, which asks a snapshot of the blocklist instead of the database, catches up
    // within its 2-second refresh.
    let started = std::time::Instant::now();
    while check_breach(&s, LEAKED_ELSEWHERE)["ok"] != false {
        assert!(
            started.elapsed().as_secs() < 10,
            "the snapshot never caught up"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let (_, v) = post(
        &s.addr,
        "/v1/check",
        None,
        &json!({"password": LEAKED_ELSEWHERE}),
    );
    assert_eq!(v["problems"][0]["code"], "breach.reported", "{v}");

    // The audit log has each account's outcome.
    let (_, page) = get(&s.addr, "/v1/admin/audit?username=01G60_BV", Some(TOKEN));
    let entry = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "account.leak_reported")
        .expect("audited")
        .clone();
    assert_eq!(entry["detail"]["outcome"], "locked_reset");
    assert_eq!(entry["detail"]["source"], "bao-cao.txt");
    assert!(!entry.to_string().contains(PW[0]));

    // The same report again, through the API this time: nothing changes, nothing is sent.
    let before = scalar(&db, "SELECT COUNT(*) FROM audit_log");
    let versions = scalar(&db, "SELECT CAST(SUM(version) AS BIGINT) FROM accounts");
    // Wait for the dispatcher to write the queued "password changed" notices.
    for _ in 0..100 {
        if scalar(
            &db,
            "SELECT COUNT(*) FROM mail_queue WHERE status = 'pending'",
        ) == 0
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let sent = s.outbox().len();
    let (status, again) = leaked_api(&s, "source=ticket-42", &report);
    assert_eq!(status, 200, "{again}");
    let kinds: Vec<String> = outcomes(&again).into_iter().map(|(_, _, o)| o).collect();
    assert_eq!(
        kinds,
        [
            "already_handled",
            "already_handled",
            "already_handled",
            "already_handled",
            "malformed",
            "already_handled"
        ]
    );
    assert!(again["accounts"][0]["detail"]
        .as_str()
        .unwrap()
        .starts_with("locked_reset (bao-cao.txt, "));
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM audit_log"), before);
    assert_eq!(
        scalar(&db, "SELECT CAST(SUM(version) AS BIGINT) FROM accounts"),
        versions
    );
    assert_eq!(s.outbox().len(), sent);
    // As CSV, and a CSV report in.
    let (status, head, body) = http_full(
        &s.addr,
        "POST",
        "/v1/admin/leaked?dry_run=true&report=csv",
        &[("Authorization", &auth), ("Content-Type", "text/csv")],
        format!("username,password\nannv,{}\n", PW[2]).as_bytes(),
    );
    assert_eq!(status, 200, "{body}");
    assert!(head.to_ascii_lowercase().contains("content-type: text/csv"));
    assert!(body.contains("\n2,annv,reset,no,"), "{body}");
    // Bad input: a refusal with a code, no change.
    let (status, v) = leaked_api(&s, "format=xml", "annv\n");
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (422, Some("request.invalid"))
    );
    let (status, _) = http(&s.addr, "POST", "/v1/admin/leaked", &[], b"annv\n");
    assert_eq!(status, 401);

    // The abnormal-account report: failed logins from many addresses, a login after the leak
    // report, accounts never used.
    for i in 1..=3 {
        let (status, _) = http(
            &s.addr,
            "POST",
            "/v1/login",
            &[
                ("Content-Type", "application/json"),
                ("X-Forwarded-For", &format!("203.0.113.{i}")),
            ],
            json!({"username": "annv", "password": format!("Doan-Mo#{i}")})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(status, 401);
    }
    let (status, signals) = get(
        &s.addr,
        "/v1/admin/report?min_addresses=3&never_used_days=0",
        Some(TOKEN),
    );
    assert_eq!(status, 200, "{signals}");
    let many = &signals["failed_from_many_addresses"];
    assert_eq!(many.as_array().unwrap().len(), 1, "{signals}");
    assert_eq!(
        (many[0]["username"].as_str(), many[0]["addresses"].as_i64()),
        (Some("annv"), Some(3))
    );
    let after = &signals["logins_after_leak_report"];
    let names: Vec<&str> = after
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["username"].as_str())
        .collect();
    assert!(
        names.contains(&"01g60_bv") && names.contains(&"annv"),
        "{signals}"
    );
    assert!(!names.contains(&"01j63_bv"), "{signals}");
    let never: Vec<&str> = signals["never_used"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["username"].as_str())
        .collect();
    assert!(
        never.contains(&"01J63_BV") && never.contains(&"nghiviec"),
        "{never:?}"
    );
    assert!(!never.contains(&"annv"), "{never:?}");
    // The CLI prints the same report.
    let out = matkhau()
        .args(["report", "--database", &db, "--min-addresses", "3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli["failed_from_many_addresses"][0]["username"], "annv");
}

/// `matkhau leaked import` of `report` against `db`, mail to the outbox or to `smtp`; the written
/// report (JSON).
fn cli_import(dir: &Path, db: &str, report: &str, smtp: Option<&str>) -> Value {
    let file = dir.join("rapport.txt");
    std::fs::write(&file, report).unwrap();
    let written = dir.join("rapport.json");
    let mut cmd = matkhau();
    cmd.args(["leaked", "import"])
        .arg(&file)
        .args(["--database", db, "--outbox"])
        .arg(dir.join("outbox"))
        .arg("--report")
        .arg(&written);
    if let Some(url) = smtp {
        cmd.args(["--smtp-url", url]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&std::fs::read(&written).unwrap()).expect("report JSON")
}

/// A leak report meets an administrator's lock and a mail server that is down: the lock is
/// kept, the still-valid account is locked at once, both are reset with their mail queued (the
/// database holds it sealed, never the password in clear), and the service sends it once the
/// mail can go; importing again changes nothing.
fn leak_intake_keeps_locks_and_retries_mail(backend: Backend) {
    let dir = scratch("leaked-mail");
    let db = database(backend, &dir);
    let s = serve_in(dir.clone(), &["--database", &db, "--admin-token", TOKEN]);
    assert_eq!(register(&s, "khoa1", PW[0]).0, 201);
    assert_eq!(register(&s, "khoa2", PW[1]).0, 201);
    let (status, _) = post(
        &s.addr,
        "/v1/admin/accounts/khoa2/lock",
        Some(TOKEN),
        &json!({}),
    );
    assert_eq!(status, 200);
    let report = format!("khoa1:{}\nkhoa2:{}\n", PW[0], PW[1]);

    // Nothing listens on port 1: every mail fails.
    let first = cli_import(&dir, &db, &report, Some("smtp://127.0.0.1:1"));
    assert_eq!(
        outcomes(&first),
        [
            (1, "khoa1".into(), "locked_reset".into()),
            (2, "khoa2".into(), "locked_reset".into())
        ]
    );
    for entry in first["accounts"].as_array().unwrap() {
        assert!(
            entry["detail"]
                .as_str()
                .unwrap()
                .contains("queued for mail"),
            "{entry}"
        );
    }
    assert_eq!(status_of(&db, "khoa1"), (1, 1), "locked, must change");
    assert_eq!(
        login(&s, "khoa1", PW[0]).0,
        401,
        "the leaked password is replaced already"
    );
    assert!(s.outbox().is_empty());
    let queued = "SELECT COUNT(*) FROM mail_queue WHERE status = 'pending' AND sealed = 1";
    assert_eq!(scalar(&db, queued), 2);
    for body in strings(&db, "SELECT body FROM mail_queue WHERE sealed = 1") {
        assert!(
            !body.contains("Mật khẩu") && body.len() > 64,
            "sealed: {body}"
        );
    }

    // Mail works again: the service sends them (made due now; a restart dispatches at once).
    exec(&db, "UPDATE mail_queue SET next_attempt_at = 0");
    drop(s);
    let s = serve_in(dir.clone(), &["--database", &db, "--admin-token", TOKEN]);
    let start = std::time::Instant::now();
    while s.outbox().len() < 2 && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let mail = s.outbox();
    assert_eq!(mail.len(), 2);
    assert_eq!(
        strings(&db, "SELECT body FROM mail_queue WHERE sealed = 1"),
        ["", ""]
    );
    let temporary_of = |user: &str| {
        temporary_password(
            mail.iter()
                .find(|m| m.contains(&format!("{user}@example.vn")))
                .unwrap(),
        )
    };
    let (status, v) = login(&s, "khoa1", &temporary_of("khoa1"));
    assert_eq!((status, v["status"].as_str()), (200, Some("must_change")));
    // The administrator's lock stays: the leak's temporary password does not open it.
    let (status, v) = login(&s, "khoa2", &temporary_of("khoa2"));
    assert_eq!(status, 423, "{v}");
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM accounts WHERE username_key = 'khoa2' AND status_reason = 'admin'"),
        1
    );
    // A second import changes nothing.
    let second = cli_import(&dir, &db, &report, None);
    assert_eq!(second["summary"]["already_handled"], 2);
    assert_eq!(s.outbox().len(), 2);
}

mod sqlite {
    #[test]
    fn leak_intake() {
        super::leak_intake(super::Backend::Sqlite)
    }

    #[test]
    fn leak_intake_keeps_locks_and_retries_mail() {
        super::leak_intake_keeps_locks_and_retries_mail(super::Backend::Sqlite)
    }
}

mod postgres {
    #[test]
    fn leak_intake() {
        super::leak_intake(super::Backend::Postgres)
    }

    #[test]
    fn leak_intake_keeps_locks_and_retries_mail() {
        super::leak_intake_keeps_locks_and_retries_mail(super::Backend::Postgres)
    }
}

fn sha1_hex(s: &str) -> String {
    Sha1::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// A corpus in both of Have I Been Pwned's formats: a `HASH:COUNT` file and a folder of range
/// files (with padding and a malformed line), imported by `matkhau breach import`.
fn build_corpus(dir: &Path, passwords: &[&str]) -> std::path::PathBuf {
    let mut full = String::new();
    for i in 0..5000 {
        full.push_str(&format!(
            "{}:{}\r\n",
            sha1_hex(&format!("filler-{i}")),
            i % 7 + 1
        ));
    }
    full.push_str(&format!("{}:5\n", sha1_hex(passwords[0])));
    std::fs::write(dir.join("pwned.txt"), full).unwrap();
    let ranges = dir.join("ranges");
    std::fs::create_dir_all(&ranges).unwrap();
    for p in &passwords[1..] {
        let h = sha1_hex(p);
        let body = format!(
            "{}:0\r\n{}:1234\r\nnot a line\r\n",
            "0".repeat(35),
            h[5..].to_ascii_lowercase()
        );
        std::fs::write(ranges.join(format!("{}.txt", &h[..5])), body).unwrap();
    }
    let out = dir.join("corpus.mkb");
    let run = matkhau()
        .args(["breach", "import", "--out"])
        .arg(&out)
        .arg(dir.join("pwned.txt"))
        .arg(&ranges)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["hashes"], 5000 + passwords.len() as u64);
    assert_eq!(report["malformed"], passwords.len() as u64 - 1);
    assert_eq!(report["padding"], passwords.len() as u64 - 1);
    out
}

#[test]
fn breached_passwords_are_screened() {
    let dir = scratch("breach");
    let db = format!("sqlite://{}/matkhau.db", dir.display());
    // Without a corpus the range endpoint says so.
    let plain = serve_in(dir.clone(), &["--database", &db]);
    assert_eq!(register(&plain, "tuan", PW[0]).0, 201);
    let (status, body) = http(&plain.addr, "GET", "/v1/breach/range/5BAA6", &[], b"");
    assert_eq!((status, body.contains("breach.unavailable")), (503, true));
    drop(plain);

    // PW[0] (tuan's current password) and BREACHED are in the corpus.
    let corpus = build_corpus(&dir, &[PW[0], BREACHED]);
    let corpus = corpus.to_str().unwrap();
    let s = serve_in(dir.clone(), &["--database", &db, "--breach-corpus", corpus]);
    let (status, v) = register(&s, "lan", BREACHED);
    assert_eq!(status, 422, "{v}");
    assert_eq!(problems(&v), ["breach.corpus"]);
    let detail = &v["error"]["detail"];
    assert!(
        detail["score"].as_i64().unwrap() >= 3,
        "strong, but breached: {detail}"
    );
    // The same password typed with combining marks (NFD) is found too.
    let nfd: String = BREACHED.nfd().collect();
    assert_ne!(nfd, BREACHED);
    assert_eq!(problems(&register(&s, "lan", &nfd).1), ["breach.corpus"]);
    assert_eq!(register(&s, "lan", PW[1]).0, 201);
    // At login: the owner must change it (no re-issue: the password is not weak).
    let (status, v) = login(&s, "tuan", PW[0]);
    assert_eq!(status, 200);
    assert_eq!(
        (v["status"].as_str(), &v["reasons"]),
        (Some("must_change"), &json!(["breached"]))
    );
    assert!(v["temporary_password_sent"].is_null());
    assert!(v["messages"][0]["message"]
        .as_str()
        .unwrap()
        .contains("bị lộ"));
    let (status, v) = change(&s, "tuan", PW[0], BREACHED);
    assert_eq!(
        (status, problems(&v)),
        (422, vec!["breach.corpus".to_string()])
    );
    let (status, v) = change(&s, "tuan", PW[0], PW[2]);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["satisfied"], json!(["breached"]));
    assert_eq!(login(&s, "tuan", PW[2]).1["status"], "ok");
    // /v1/check screens too.
    let (_, text) = http(
        &s.addr,
        "POST",
        "/v1/check",
        &[("Content-Type", "application/json")],
        json!({"password": BREACHED}).to_string().as_bytes(),
    );
    assert!(text.contains(r#"{"code":"breach","ok":false}"#), "{text}");

    // The range endpoint: the suffix with its count among 800–1,000 padded lines.
    let h = sha1_hex(BREACHED);
    let (status, head, body) = http_full(
        &s.addr,
        "GET",
        &format!("/v1/breach/range/{}", h[..5].to_lowercase()),
        &[("Add-Padding", "true")],
        b"",
    );
    assert_eq!(status, 200);
    assert!(head
        .to_ascii_lowercase()
        .contains("access-control-allow-origin: *"));
    let lines: Vec<&str> = body.split_terminator("\r\n").collect();
    assert!((800..=1000).contains(&lines.len()), "{}", lines.len());
    assert!(lines.contains(&format!("{}:1234", &h[5..]).as_str()));
    assert_eq!(lines.iter().filter(|l| !l.ends_with(":0")).count(), 1);
    for bad in ["5BAA", "5BAA6F", "GGGGG"] {
        let (status, body) = http(&s.addr, "GET", &format!("/v1/breach/range/{bad}"), &[], b"");
        assert_eq!(
            (status, body.contains("breach.bad_prefix")),
            (400, true),
            "{bad}"
        );
    }

    // A file that is not a corpus is refused with a clear error, at start and by `info`.
    let junk = dir.join("junk.mkb");
    std::fs::write(&junk, b"MKBREACH but not really").unwrap();
    let out = matkhau()
        .args(["breach", "info"])
        .arg(&junk)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("breach.format"));
    let out = matkhau()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &db,
            "--breach-corpus",
        ])
        .arg(&junk)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a corpus file"));
    let out = matkhau().args(["breach", "info", corpus]).output().unwrap();
    let info: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (info["hashes"].as_u64(), info["bits"].as_u64()),
        (Some(5002), Some(16))
    );
}
