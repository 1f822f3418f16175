//! Password attempts under attack, over real HTTP on loopback, on SQLite and PostgreSQL: bursts of
//! concurrent wrong logins for one username and from one address, attempt rate buckets, the
//! bounded hash queue, registration as a name oracle, cross-site form posts, and an
//! administrator clearing a username's failures.

#[macro_use]
mod common;

use common::db::{database, scalar, Backend};
use common::server::{http_full, json, login, post, scratch, serve_in, Server};
use serde_json::{json, Value};
use std::sync::{Arc, Barrier};

const TOKEN: &str = "admin-token-for-limit-tests-0123456789";
const PASSWORD: &str = "Trống-Đồng#Xanh-Biếc42";
/// Hash workers of every server here (the bounds below add them).
const WORKERS: i64 = 2;

/// A server on `backend` with the admin token and two hash workers, plus its database URL.
fn start(backend: Backend, extra: &[&str]) -> (Server, String) {
    let dir = scratch("limits");
    let db = database(backend, &dir);
    let workers = WORKERS.to_string();
    let mut args = vec![
        "--database",
        db.as_str(),
        "--admin-token",
        TOKEN,
        // The whole burst connects at once from 127.0.0.1.
        "--max-connections",
        "1200",
        "--max-connections-per-address",
        "1200",
    ];
    if !extra.contains(&"--hash-workers") {
        args.extend(["--hash-workers", &workers]);
    }
    args.extend_from_slice(extra);
    (serve_in(dir, &args), db)
}

/// Raises this process's open-file limit (inherited by the servers it starts) so a burst of a
/// thousand connections fits on both ends.
fn room_for_connections() {
    #[cfg(unix)]
    // SAFETY: getrlimit and setrlimit read and write the struct given, nothing else.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < 4096 {
            limit.rlim_cur = limit.rlim_max.min(4096);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// Sends `n` requests at once (each on its own connection, released together) and returns each
/// one's (status, raw headers, body); a connection the server closed counts as status 0.
fn burst(addr: &str, n: usize, request: impl Fn(usize) -> (String, Value) + Sync) -> Vec<Reply> {
    room_for_connections();
    let start = Arc::new(Barrier::new(n));
    let request = &request;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let start = start.clone();
                std::thread::Builder::new()
                    .stack_size(256 * 1024)
                    .spawn_scoped(scope, move || {
                        let (path, body) = request(i);
                        start.wait();
                        std::panic::catch_unwind(|| {
                            http_full(
                                addr,
                                "POST",
                                &path,
                                &[("Content-Type", "application/json")],
                                body.to_string().as_bytes(),
                            )
                        })
                        .map_or(
                            Reply::default(),
                            |(status, head, body)| Reply { status, head, body },
                        )
                    })
                    .expect("a client thread")
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// One answer of a burst.
#[derive(Default, Debug)]
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn code(&self) -> String {
        serde_json::from_str::<Value>(&self.body)
            .ok()
            .and_then(|v| v["error"]["code"].as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// argon2 computations the server has done, from `/metrics`.
fn hashes(s: &Server) -> i64 {
    let (_, text) = common::server::http(&s.addr, "GET", "/metrics", &[], b"");
    text.lines()
        .find_map(|l| l.strip_prefix("matkhau_password_hashes_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no hash counter in {text}"))
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

fn register(s: &Server, username: &str, password: &str) -> (u16, Value) {
    post(
        &s.addr,
        "/v1/accounts",
        None,
        &json!({"username": username, "email": format!("{username}@example.vn"),
                "kind": "citizen", "password": password}),
    )
}

/// A thousand wrong logins for one username at once (the rate buckets off, so the lockout alone
/// is tried): the lock comes after the policy's five distinct failures and later attempts are
/// refused without recording or hashing anything.
fn a_burst_for_one_username_records_at_most_the_threshold(backend: Backend) {
    let (s, db) = start(
        backend,
        &["--address-max-failures", "100000", "--hash-queue", "2000"],
    );
    let before = hashes(&s);
    let replies = burst(&s.addr, 1000, |i| {
        (
            "/v1/login".to_string(),
            json!({"username": "nạn-nhân", "password": format!("Sai-Mat-Khau#{i}")}),
        )
    });
    for r in &replies {
        assert!(
            matches!(r.status, 401 | 423),
            "{} {}: {}",
            r.status,
            r.code(),
            r.body
        );
    }
    assert!(replies.iter().any(|r| r.status == 423));
    let recorded = scalar(
        &db,
        "SELECT COUNT(*) FROM login_failures WHERE username_key = 'nạn-nhân'",
    );
    let max_failures = 5;
    assert!(
        (max_failures..=max_failures + WORKERS).contains(&recorded),
        "{recorded} failures recorded"
    );
    let hashed = hashes(&s) - before;
    assert!(hashed <= max_failures + WORKERS, "{hashed} hashes");
    // The lock is decided from one row however many attempts came: the right password of a
    // real account waits for it like any other (the name need not exist to be locked).
    let (status, v) = login(&s, "nạn-nhân", PASSWORD);
    assert_eq!((status, code(&v)), (423, "login.locked"), "{v}");
}

/// A thousand wrong logins from one address at once, each for another username: with the
/// address's rate bucket, at most its burst is hashed; without it, at most the failed-login
/// limit plus the attempts the workers had under way.
fn a_burst_from_one_address_hashes_at_most_its_limit(backend: Backend) {
    let body = |i: usize| {
        (
            "/v1/login".to_string(),
            json!({"username": format!("khach{i}"), "password": "Sai-Mat-Khau#1"}),
        )
    };
    // The default buckets (30 at once per address).
    let (s, _db) = start(backend, &["--address-rate", "60", "--hash-queue", "2000"]);
    let began = std::time::Instant::now();
    let replies = burst(&s.addr, 1000, body);
    // The bucket refills one attempt a second meanwhile.
    let refilled = began.elapsed().as_secs() as i64 + 1;
    let throttled: Vec<_> = replies.iter().filter(|r| r.status == 429).collect();
    assert!(!throttled.is_empty());
    for r in &throttled {
        assert_eq!(r.code(), "request.throttled", "{}", r.body);
        assert!(
            r.head.to_ascii_lowercase().contains("retry-after:"),
            "{}",
            r.head
        );
    }
    let hashed = hashes(&s);
    assert!(
        hashed <= 30 + refilled,
        "{hashed} hashes past a burst of 30 (+{refilled} refilled)"
    );
    drop(s);

    // No bucket: the failed-login limit, attempts under way included.
    let (s, db) = start(
        backend,
        &["--address-max-failures", "10", "--hash-queue", "2000"],
    );
    let replies = burst(&s.addr, 1000, body);
    for r in &replies {
        assert!(matches!(r.status, 401 | 429), "{}: {}", r.status, r.body);
        if r.status == 429 {
            assert_eq!(r.code(), "login.throttled");
        }
    }
    let hashed = hashes(&s);
    assert!(hashed <= 10 + WORKERS, "{hashed} hashes past a limit of 10");
    let recorded = scalar(&db, "SELECT COUNT(*) FROM login_failures");
    assert!(recorded <= 10 + WORKERS, "{recorded} failures recorded");
}

/// Right passwords are limited too, per account: one account logging in in a loop cannot take
/// the hash workers from everyone else.
fn correct_logins_are_limited_per_account(backend: Backend) {
    let (s, _db) = start(backend, &["--account-rate", "10", "--account-burst", "3"]);
    assert_eq!(register(&s, "annv", PASSWORD).0, 201);
    for _ in 0..3 {
        assert_eq!(login(&s, "annv", PASSWORD).0, 200);
    }
    let (status, v) = login(&s, "annv", PASSWORD);
    assert_eq!((status, code(&v)), (429, "request.throttled"), "{v}");
    // Another account is not held back by it.
    assert_eq!(login(&s, "someone-else", "Sai-Mat-Khau#1").0, 401);
}

/// A full hash queue answers at once with 503 and Retry-After instead of queueing without bound.
fn a_full_hash_queue_answers_busy_at_once(backend: Backend) {
    let (s, _db) = start(
        backend,
        &[
            "--address-max-failures",
            "100000",
            "--hash-workers",
            "1",
            "--hash-queue",
            "1",
        ],
    );
    let replies = burst(&s.addr, 40, |i| {
        (
            "/v1/login".to_string(),
            json!({"username": format!("khach{i}"), "password": "Sai-Mat-Khau#1"}),
        )
    });
    let busy: Vec<_> = replies.iter().filter(|r| r.status == 503).collect();
    assert!(
        !busy.is_empty(),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for r in &busy {
        assert_eq!(r.code(), "hash.busy");
        assert!(
            r.head.to_ascii_lowercase().contains("retry-after: 1"),
            "{}",
            r.head
        );
    }
    for r in &replies {
        assert!(matches!(r.status, 401 | 503), "{}: {}", r.status, r.body);
    }
}

/// Registration tells whether a name is taken only for a password the policy accepts, counts each
/// taken name against the address, and refuses the address once its failures are used up.
fn registration_is_no_name_oracle(backend: Backend) {
    let (s, _db) = start(backend, &["--address-max-failures", "3"]);
    assert_eq!(register(&s, "annv", PASSWORD).0, 201);
    let (taken, v1) = register(&s, "annv", "a");
    let (free, v2) = register(&s, "chua-co-ai", "a");
    assert_eq!((taken, free), (422, 422), "{v1} {v2}");
    assert_eq!(
        (code(&v1), code(&v2)),
        ("password.rejected", "password.rejected")
    );
    for i in 0..3 {
        let (status, v) = register(&s, "annv", &format!("Sông-Hồng@Chảy-Mãi7{i}"));
        assert_eq!((status, code(&v)), (409, "account.exists"), "{v}");
    }
    let (status, v) = register(&s, "annv", "Sông-Hồng@Chảy-Mãi79");
    assert_eq!((status, code(&v)), (429, "login.throttled"), "{v}");
    // An administrator (not limited by address) registers an e-mail address longer than a
    // context field: the engine sees its first 128 characters, and the account is created.
    let email = format!("an@{}.{}.example.vn", "x".repeat(60), "y".repeat(60));
    assert!(email.len() > 128);
    let (status, _, v) = http_full(
        &s.addr,
        "POST",
        "/v1/accounts",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &format!("Bearer {TOKEN}")),
        ],
        json!({"username": "dia-chi-dai", "email": email, "kind": "citizen",
               "password": PASSWORD})
        .to_string()
        .as_bytes(),
    );
    assert_eq!(status, 201, "{v}");
    let (status, v) = login(&s, "annv", PASSWORD);
    assert_eq!((status, code(&v)), (429, "login.throttled"), "{v}");
}

/// A cross-site HTML form can send only text/plain, urlencoded or multipart bodies: the JSON
/// routes refuse them unread.
fn form_posts_are_refused(backend: Backend) {
    let (s, db) = start(backend, &[]);
    let body = json!({"username": "csrf", "email": "csrf@example.vn", "kind": "citizen",
                      "password": PASSWORD})
    .to_string();
    for (path, media) in [
        ("/v1/accounts", "text/plain"),
        ("/v1/login", "text/plain"),
        ("/v1/login", "application/x-www-form-urlencoded"),
        (
            "/v1/accounts/csrf/password",
            "multipart/form-data; boundary=x",
        ),
    ] {
        let (status, _, text) = http_full(
            &s.addr,
            "POST",
            path,
            &[("Content-Type", media)],
            body.as_bytes(),
        );
        assert_eq!(
            (status, json(&text)["error"]["code"].as_str()),
            (415, Some("request.media_type")),
            "{path} {media}: {text}"
        );
    }
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM accounts"), 0);
}

/// An administrator clears the failures of a username, whether or not it has an account.
fn an_administrator_clears_a_usernames_failures(backend: Backend) {
    let (s, _db) = start(backend, &[]);
    for i in 1..=5 {
        login(&s, "khong-co-tai-khoan", &format!("Sai-Mat-Khau#{i}"));
    }
    assert_eq!(login(&s, "khong-co-tai-khoan", "Sai-Mat-Khau#6").0, 423);
    let (status, v) = post(
        &s.addr,
        "/v1/admin/logins/khong-co-tai-khoan/clear",
        Some(TOKEN),
        &json!({}),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["was_locked"], true);
    assert_eq!(login(&s, "khong-co-tai-khoan", "Sai-Mat-Khau#6").0, 401);
    let (status, _) = post(
        &s.addr,
        "/v1/admin/logins/khong-co-tai-khoan/clear",
        None,
        &json!({}),
    );
    assert_eq!(status, 401);
}

on_both!(
    a_burst_for_one_username_records_at_most_the_threshold,
    a_burst_from_one_address_hashes_at_most_its_limit,
    correct_logins_are_limited_per_account,
    a_full_hash_queue_answers_busy_at_once,
    registration_is_no_name_oracle,
    form_posts_are_refused,
    an_administrator_clears_a_usernames_failures
);
