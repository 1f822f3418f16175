//! What an attacker on the network can do to `matkhau serve`, over real HTTP on loopback:
//! half-open and slow connections, connection floods, shutdown held open, weak or borrowed
//! tokens, metrics on the API port, secrets copied out of the database.

mod common;

use common::server::{get, http, json, post, scratch, serve, serve_in};
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const TOKEN: &str = "admin-token-for-abuse-tests-0123456789";

/// Seconds until the server closes `stream` (reads until EOF or a reset), at most `limit`.
fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) if start.elapsed() < limit => return Some(start.elapsed()),
            Ok(0) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
}

#[test]
fn half_open_and_slow_connections_are_closed_within_the_header_timeout() {
    let server = serve(&["--header-timeout", "1"]);
    // Connected, nothing sent.
    let mut silent = TcpStream::connect(&server.addr).unwrap();
    // Half a request line and header, then nothing.
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: appl")
        .unwrap();
    for (name, stream) in [("silent", &mut silent), ("slow", &mut slow)] {
        let closed = closed_within(stream, Duration::from_secs(5));
        assert!(closed.is_some(), "{name}: still open after 5 s");
    }
    // The server still answers.
    assert_eq!(http(&server.addr, "GET", "/healthz", &[], b"").0, 200);
}

#[test]
fn connection_floods_are_capped_per_address_and_the_server_keeps_answering() {
    let server = serve(&[
        "--max-connections-per-address",
        "4",
        "--header-timeout",
        "30",
    ]);
    let held: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    // The fifth from the same address is closed at once.
    let mut fifth = TcpStream::connect(&server.addr).unwrap();
    assert!(closed_within(&mut fifth, Duration::from_secs(2)).is_some());
    drop(held);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(http(&server.addr, "GET", "/healthz", &[], b"").0, 200);
}

#[test]
fn shutdown_does_not_wait_for_idle_connections_past_the_drain() {
    let server = serve(&["--header-timeout", "60", "--shutdown-drain", "2"]);
    let _idle: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .unwrap()
        .success());
    let mut server = server;
    let exited = loop {
        if let Some(status) = server.try_wait() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exited.success(), "{exited:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn tokens_are_long_from_files_and_least_privilege() {
    let dir = scratch("tokens");
    // A short token is refused at start, with a reason.
    let out = common::matkhau()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--admin-token",
            "short-token",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("32 characters"));
    // Tokens from files; the portal's reports activity and can do nothing else.
    let portal = "portal-token-for-abuse-tests-0123456789";
    std::fs::write(dir.join("admin.token"), format!("{TOKEN}\n")).unwrap();
    std::fs::write(dir.join("portal.token"), format!("{portal}\n")).unwrap();
    let admin_file = dir.join("admin.token").display().to_string();
    let portal_file = dir.join("portal.token").display().to_string();
    let s = serve_in(
        dir.clone(),
        &[
            "--admin-token-file",
            &admin_file,
            "--portal-token-file",
            &portal_file,
        ],
    );
    let register = json!({"username": "congty_t", "email": "t@example.vn", "kind": "organisation",
                          "password": "Trống-Đồng#Xanh-Biếc42"});
    assert_eq!(post(&s.addr, "/v1/accounts", None, &register).0, 201);
    let activity = "/v1/accounts/congty_t/activity";
    assert_eq!(post(&s.addr, activity, Some(portal), &json!({})).0, 200);
    assert_eq!(post(&s.addr, activity, Some(TOKEN), &json!({})).0, 200);
    assert_eq!(post(&s.addr, activity, None, &json!({})).0, 401);
    let (status, v) = post(&s.addr, "/v1/admin/sweep", Some(portal), &json!({}));
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (401, Some("auth.required"))
    );
    assert_eq!(
        post(&s.addr, "/v1/admin/sweep", Some(TOKEN), &json!({})).0,
        200
    );
}

#[test]
fn metrics_can_live_on_their_own_address() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let metrics = format!("127.0.0.1:{port}");
    let s = serve(&["--metrics-listen", &metrics]);
    assert_eq!(http(&s.addr, "GET", "/metrics", &[], b"").0, 404);
    let mut text = String::new();
    for _ in 0..50 {
        if let Ok(mut c) = TcpStream::connect(&metrics) {
            c.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            c.read_to_string(&mut text).unwrap();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.contains("matkhau_http_requests"), "{text}");
}

#[test]
fn the_database_holds_no_key_and_refuses_another_secret_file() {
    let dir = scratch("secrets");
    let db = format!("sqlite://{}/matkhau.db", dir.display());
    // A copy of the tests' secret file, so the shared plug-in cache stays valid for it.
    let secret = dir.join("secret.json").display().to_string();
    std::fs::copy(common::SECRET_FILE, &secret).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let args = ["--database", db.as_str(), "--secret-file", secret.as_str()];
    let s = serve_in(dir.clone(), &args);
    assert_eq!(get(&s.addr, "/healthz", None).0, 200);
    drop(s);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the secret file is private");
        let db_mode = std::fs::metadata(dir.join("matkhau.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(db_mode & 0o077, 0, "the database is private");
    }
    let names = common::db::strings(&db, "SELECT name FROM settings ORDER BY name");
    // The health probe's setting holds a time; the only other is the secrets' check value.
    assert_eq!(
        names,
        ["health_probe", "secrets_check"],
        "no key in the database"
    );
    // Another secret file on the same database: refused, naming the problem.
    let other = dir.join("other.json").display().to_string();
    let out = common::matkhau()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &db,
            "--secret-file",
            &other,
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("secret.mismatch"));
    // A database of an earlier version, its keys in the settings: they move into a new file.
    let legacy = scratch("legacy");
    let old_db = format!("sqlite://{}/matkhau.db", legacy.display());
    let file = legacy.join("secret.json");
    std::fs::copy(&secret, &file).unwrap();
    drop(serve_in(
        legacy.clone(),
        &[
            "--database",
            &old_db,
            "--secret-file",
            file.to_str().unwrap(),
        ],
    ));
    std::fs::remove_file(&file).unwrap();
    common::db::exec(&old_db, "DELETE FROM settings");
    common::db::exec(
        &old_db,
        "INSERT INTO settings (name, value) VALUES ('failure_fingerprint_key', 'aa'), \
         ('leak_blocklist_key', 'bb')",
    );
    // The new file has a new cache key: its compiled plug-in goes to a cache of its own, so the
    // shared one does not gain an entry per run.
    let cache = legacy.join("cache");
    let s = serve_in(
        legacy.clone(),
        &[
            "--database",
            &old_db,
            "--secret-file",
            file.to_str().unwrap(),
            "--plugin-cache",
            cache.to_str().unwrap(),
        ],
    );
    assert_eq!(get(&s.addr, "/healthz", None).0, 200);
    let moved: serde_json::Value = json(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(
        (
            moved["fingerprint_key"].as_str(),
            moved["blocklist_key"].as_str()
        ),
        (Some("aa"), Some("bb"))
    );
    let names = common::db::strings(&old_db, "SELECT name FROM settings ORDER BY name");
    assert_eq!(
        names,
        ["health_probe", "secrets_check"],
        "the legacy keys are gone"
    );
}
