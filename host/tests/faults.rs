//! Faults that must lose nothing and leave nothing half-done, over real HTTP on loopback, on
//! SQLite and PostgreSQL: failed logins right after each kind of reset and across a second
//! boundary (two replicas of one database), a slow mail server, a crash between a delivery and
//! its record, audit paging while others write, bad input that must not reach the database, a
//! full disk, damaged database files, and `kill -9` during concurrent writes.

#[macro_use]
mod common;

use common::db::{database, scalar, strings, Backend};
use common::mail::{smtp_server_with, temporary_password};
use common::server::{change, get, login, post, scratch, serve_in, Server};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Barrier, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const TOKEN: &str = "admin-token-for-fault-tests-0123456789";
const PASSWORD: &str = "Trống-Đồng#Xanh-Biếc42";
/// Distinct wrong passwords that lock an account (the default policy's `max_failures`).
const MAX_FAILURES: usize = 5;

/// Two replicas of one database (a SQLite file both open, or a PostgreSQL database), and its URL.
fn replicas(backend: Backend) -> (Server, Server, String) {
    let dir = scratch("faults");
    let db = database(backend, &dir);
    let args = ["--database", db.as_str(), "--admin-token", TOKEN];
    let a = serve_in(dir.clone(), &args);
    let b = serve_in(dir, &args);
    (a, b, db)
}

/// Moves an account's password two days back, past the policy's minimum age.
fn age_password(db: &str, username: &str) {
    common::db::exec(
        db,
        &format!(
            "UPDATE accounts SET password_set_at = password_set_at - 172800 \
             WHERE username_key = '{username}'"
        ),
    );
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

fn register(s: &Server, username: &str) {
    let (status, v) = post(
        &s.addr,
        "/v1/accounts",
        None,
        &json!({"username": username, "email": format!("{username}@example.vn"),
                "kind": "citizen", "password": PASSWORD}),
    );
    assert_eq!(status, 201, "{v}");
}

fn admin(s: &Server, username: &str, action: &str) -> (u16, Value) {
    post(
        &s.addr,
        &format!("/v1/admin/accounts/{username}/{action}"),
        Some(TOKEN),
        &json!({}),
    )
}

/// Sleeps until `at` seconds past a whole second (0.0–1.0).
fn wait_for_fraction(at: f64) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let fraction = f64::from(now.subsec_nanos()) / 1e9;
    let wait = if fraction < at {
        at - fraction
    } else {
        1.0 + at - fraction
    };
    std::thread::sleep(Duration::from_secs_f64(wait));
}

/// Wrong passwords, each distinct, from the two replicas in turn: the answers in order.
fn wrong_logins(servers: [&Server; 2], username: &str, n: usize, tag: &str) -> Vec<u16> {
    (0..n)
        .map(|i| login(servers[i % 2], username, &format!("Sai-{tag}-{i}#Mật-Khẩu")).0)
        .collect()
}

/// The answers a lock after `MAX_FAILURES` distinct failures gives to that many attempts.
fn locked_on_the_last() -> Vec<u16> {
    let mut expected = vec![401; MAX_FAILURES - 1];
    expected.push(423);
    expected
}

/// Right after each kind of reset (the owner's login, an unlock, a change, a re-issue), in the
/// same second, the failures count from the first: the fifth distinct one locks.
fn failures_right_after_a_reset_count(backend: Backend) {
    let (a, b, db) = replicas(backend);
    register(&a, "reset");
    let mut password = PASSWORD.to_string();

    // The owner's login.
    wait_for_fraction(0.05);
    assert_eq!(login(&a, "reset", &password).0, 200);
    let got = wrong_logins([&b, &a], "reset", MAX_FAILURES, "login");
    assert_eq!(got, locked_on_the_last(), "after the owner's login");
    assert_eq!(login(&a, "reset", &password).0, 423, "the lock holds");

    // An administrator's unlock.
    wait_for_fraction(0.05);
    assert_eq!(admin(&a, "reset", "unlock").0, 200);
    let got = wrong_logins([&b, &a], "reset", MAX_FAILURES, "unlock");
    assert_eq!(got, locked_on_the_last(), "after an unlock");

    // The owner's change.
    assert_eq!(admin(&b, "reset", "unlock").0, 200);
    let new = "Sông-Hồng@Chảy-Mãi-Về-Biển7";
    age_password(&db, "reset");
    wait_for_fraction(0.05);
    let (status, v) = change(&a, "reset", &password, new);
    assert_eq!(status, 200, "{v}");
    password = new.to_string();
    let got = wrong_logins([&b, &a], "reset", MAX_FAILURES, "change");
    assert_eq!(got, locked_on_the_last(), "after a change");

    // A re-issue (an administrator's).
    assert_eq!(admin(&b, "reset", "unlock").0, 200);
    wait_for_fraction(0.05);
    let (status, v) = admin(&a, "reset", "reissue");
    assert_eq!(status, 200, "{v}");
    let got = wrong_logins([&b, &a], "reset", MAX_FAILURES, "reissue");
    assert_eq!(got, locked_on_the_last(), "after a re-issue");
    assert_eq!(login(&b, "reset", &password).0, 423);
}

/// A burst of concurrent distinct wrong passwords that straddles a whole second, right after the
/// owner's login, on two replicas: exactly `MAX_FAILURES - 1` answers of 401, the rest 423.
fn a_burst_across_a_second_boundary_locks_exactly(backend: Backend) {
    let (a, b, _) = replicas(backend);
    register(&a, "boundary");
    const BURST: usize = 16;
    for round in 0..2 {
        wait_for_fraction(0.85);
        assert_eq!(login(&a, "boundary", PASSWORD).0, 200);
        let barrier = Arc::new(Barrier::new(BURST));
        let handles: Vec<_> = (0..BURST)
            .map(|i| {
                let addr = if i % 2 == 0 {
                    a.addr.clone()
                } else {
                    b.addr.clone()
                };
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    common::server::post(
                        &addr,
                        "/v1/login",
                        None,
                        &json!({"username": "boundary",
                                "password": format!("Sai-{round}-{i}#Mật-Khẩu")}),
                    )
                })
            })
            .collect();
        let answers: Vec<(u16, Value)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let failed = answers.iter().filter(|(s, _)| *s == 401).count();
        let locked = answers
            .iter()
            .filter(|(s, v)| *s == 423 && code(v) == "login.locked")
            .count();
        assert_eq!(
            (failed, locked),
            (MAX_FAILURES - 1, BURST - MAX_FAILURES + 1),
            "round {round}: {answers:?}"
        );
        assert_eq!(admin(&b, "boundary", "unlock").0, 200);
    }
}

/// Waits (at most `limit`) until `done` holds; false if it never did.
fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    done()
}

/// A mail server that takes 6 s to accept each message: a re-issue waits for it, nothing else
/// does (no request holds a transaction while mail is sent).
fn a_slow_mail_server_holds_up_no_other_request(backend: Backend) {
    let (smtp, inbox) = smtp_server_with(Arc::new(|| std::thread::sleep(Duration::from_secs(6))));
    let dir = scratch("slow-mail");
    let db = database(backend, &dir);
    let s = serve_in(
        dir,
        &[
            "--database",
            &db,
            "--admin-token",
            TOKEN,
            "--smtp-url",
            &smtp,
        ],
    );
    register(&s, "cham");
    register(&s, "nhanh");
    let addr = s.addr.clone();
    let finished = Arc::new(AtomicBool::new(false));
    let done = finished.clone();
    let reissue = std::thread::spawn(move || {
        let answer = post(
            &addr,
            "/v1/admin/accounts/cham/reissue",
            Some(TOKEN),
            &json!({}),
        );
        done.store(true, Ordering::SeqCst);
        answer
    });
    // The message is at the mail server (which is sitting on it).
    assert!(eventually(Duration::from_secs(10), || !inbox
        .raw()
        .is_empty()));
    assert_eq!(get(&s.addr, "/healthz", None).0, 200);
    assert_eq!(login(&s, "nhanh", PASSWORD).0, 200);
    assert_eq!(login(&s, "nhanh", "Sai-Mật-Khẩu#1").0, 401);
    let (status, v) = post(
        &s.addr,
        "/v1/check",
        None,
        &json!({"password": "Trống-Đồng#Xanh-Biếc42"}),
    );
    assert_eq!(status, 200, "{v}");
    assert!(
        !finished.load(Ordering::SeqCst),
        "every other request was answered while the mail server held the message"
    );
    let (status, v) = reissue.join().unwrap();
    assert_eq!((status, v["mail_sent"].as_bool()), (200, Some(true)), "{v}");
    let temporary = temporary_password(&inbox.messages()[0].1);
    assert_eq!(login(&s, "cham", &temporary).1["status"], "must_change");
}

/// The `Message-ID` of a raw message.
fn message_id(raw: &str) -> String {
    raw.lines()
        .find_map(|l| l.strip_prefix("Message-ID: "))
        .unwrap_or_else(|| panic!("no Message-ID in {raw}"))
        .trim()
        .to_string()
}

/// The process dies after the mail server has a message and before the service records it:
/// a notice is not sent again (at most once), a temporary password is (the same message, the
/// same `Message-ID`), and that password works (the change it announces was committed first).
fn a_crash_between_delivery_and_record_sends_once(backend: Backend) {
    let hold = Arc::new(AtomicBool::new(true));
    let (arrived_tx, arrived) = mpsc::channel::<()>();
    let arrived_tx = Mutex::new(arrived_tx);
    let holding = hold.clone();
    let (smtp, inbox) = smtp_server_with(Arc::new(move || {
        if holding.load(Ordering::SeqCst) {
            let _ = arrived_tx.lock().unwrap().send(());
            std::thread::sleep(Duration::from_secs(30));
        }
    }));
    let dir = scratch("mail-crash");
    let db = database(backend, &dir);
    let args = [
        "--database",
        &db,
        "--admin-token",
        TOKEN,
        "--smtp-url",
        &smtp,
        "--mail-lease",
        "20",
    ];
    let s = serve_in(dir.clone(), &args);
    register(&s, "tho");
    age_password(&db, "tho");
    let new = "Sông-Hồng@Chảy-Mãi-Về-Biển7";
    assert_eq!(change(&s, "tho", PASSWORD, new).0, 200);
    // The change notice reaches the mail server; the service dies before it hears back.
    arrived
        .recv_timeout(Duration::from_secs(20))
        .expect("the notice arrives");
    drop(s);
    hold.store(false, Ordering::SeqCst);
    let s = serve_in(dir.clone(), &args);
    let given_up = "SELECT COUNT(*) FROM mail_queue WHERE status = 'failed' \
                    AND last_error = 'mail.interrupted'";
    assert!(
        eventually(Duration::from_secs(60), || scalar(&db, given_up) == 1),
        "the interrupted notice is given up once its lease ends"
    );
    assert_eq!(inbox.raw().len(), 1, "the notice went out once");

    // A re-issue: the request itself sends the mail, and dies with the process.
    hold.store(true, Ordering::SeqCst);
    let addr = s.addr.clone();
    let request = std::thread::spawn(move || {
        post(
            &addr,
            "/v1/admin/accounts/tho/reissue",
            Some(TOKEN),
            &json!({}),
        )
    });
    arrived
        .recv_timeout(Duration::from_secs(20))
        .expect("the password arrives");
    drop(s);
    let _ = request.join();
    hold.store(false, Ordering::SeqCst);
    let s = serve_in(dir, &args);
    let sent = "SELECT COUNT(*) FROM mail_queue WHERE status = 'sent' AND sealed = 1";
    assert!(
        eventually(Duration::from_secs(60), || scalar(&db, sent) == 1),
        "the interrupted temporary password is sent again once its lease ends"
    );
    let copies: Vec<String> = inbox.raw().into_iter().skip(1).map(|(_, m)| m).collect();
    assert_eq!(copies.len(), 2, "sent again once");
    assert_eq!(message_id(&copies[0]), message_id(&copies[1]));
    let mails = inbox.messages();
    let temporary = temporary_password(&mails[1].1);
    assert_eq!(temporary, temporary_password(&mails[2].1));
    let (status, v) = login(&s, "tho", &temporary);
    assert_eq!(
        (status, v["status"].as_str()),
        (200, Some("must_change")),
        "{v}"
    );
    assert_eq!(
        login(&s, "tho", new).0,
        401,
        "the old password no longer works"
    );
    // The sealed body is erased once sent, and was never stored in clear.
    let bodies = strings(&db, "SELECT body FROM mail_queue WHERE sealed = 1");
    assert_eq!(bodies, [""]);
}

/// A reader follows `next` through the audit log while writers on two replicas add to it: it
/// reads every entry once, in increasing order.
fn audit_paging_skips_nothing_while_others_write(backend: Backend) {
    let (a, b, _) = replicas(backend);
    const WRITERS: usize = 8;
    const EACH: usize = 120;
    let writing = Arc::new(AtomicUsize::new(WRITERS));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let addr = if w % 2 == 0 {
                a.addr.clone()
            } else {
                b.addr.clone()
            };
            let writing = writing.clone();
            std::thread::spawn(move || {
                for i in 0..EACH {
                    let (status, v) = post(
                        &addr,
                        &format!("/v1/admin/logins/ghi{w}x{i}/clear"),
                        Some(TOKEN),
                        &json!({}),
                    );
                    assert_eq!(status, 200, "{v}");
                }
                writing.fetch_sub(1, Ordering::SeqCst);
            })
        })
        .collect();
    let mut seen: Vec<i64> = Vec::new();
    let mut after = 0;
    loop {
        let last_pass = writing.load(Ordering::SeqCst) == 0;
        loop {
            let (status, page) = get(
                &a.addr,
                &format!("/v1/admin/audit?after={after}&limit=7"),
                Some(TOKEN),
            );
            assert_eq!(status, 200, "{page}");
            for e in page["entries"].as_array().unwrap() {
                seen.push(e["id"].as_i64().unwrap());
            }
            match page["next"].as_i64() {
                Some(n) => after = n,
                None => {
                    if let Some(last) = seen.last() {
                        after = *last;
                    }
                    break;
                }
            }
        }
        if last_pass {
            break;
        }
    }
    for w in writers {
        w.join().unwrap();
    }
    assert!(
        seen.windows(2).all(|p| p[0] < p[1]),
        "in increasing order, none twice"
    );
    let (status, page) = get(&a.addr, "/v1/admin/audit?limit=1000", Some(TOKEN));
    assert_eq!(status, 200);
    let mut all: BTreeSet<i64> = BTreeSet::new();
    let mut next = 0;
    loop {
        let (_, page) = get(
            &a.addr,
            &format!("/v1/admin/audit?after={next}&limit=1000"),
            Some(TOKEN),
        );
        let entries = page["entries"].as_array().unwrap().clone();
        all.extend(entries.iter().map(|e| e["id"].as_i64().unwrap()));
        match page["next"].as_i64() {
            Some(n) => next = n,
            None => break,
        }
    }
    drop(page);
    assert_eq!(all.len(), WRITERS * EACH, "every write audited once");
    let read: BTreeSet<i64> = seen.iter().copied().collect();
    let missed: Vec<&i64> = all.difference(&read).take(10).collect();
    assert!(
        missed.is_empty(),
        "the reader skipped entries, e.g. {missed:?}"
    );
}

/// Input no database should see is refused at the edge with a stable code: a NUL or another
/// control character in a username on every route that takes one, a birth date in another
/// writing, a bad sweep date (not quoted back). Never a 500, never the database's words.
fn bad_input_never_reaches_the_database(backend: Backend) {
    let dir = scratch("bad-input");
    let db = database(backend, &dir);
    let s = serve_in(dir, &["--database", &db, "--admin-token", TOKEN]);
    register(&s, "hoa");
    for name in ["ho\u{0}a", "hoa\r\nX-Evil: 1", "h\u{7f}oa"] {
        let encoded: String = name
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let answers = [
            post(
                &s.addr,
                "/v1/login",
                None,
                &json!({"username": name, "password": PASSWORD}),
            ),
            post(
                &s.addr,
                &format!("/v1/accounts/{encoded}/password"),
                None,
                &json!({"current_password": PASSWORD, "new_password": "Sông-Hồng@Chảy-Mãi-Về-Biển7"}),
            ),
            post(
                &s.addr,
                &format!("/v1/admin/logins/{encoded}/clear"),
                Some(TOKEN),
                &json!({}),
            ),
            get(
                &s.addr,
                &format!("/v1/admin/audit?username={encoded}"),
                Some(TOKEN),
            ),
            post(
                &s.addr,
                "/v1/accounts",
                None,
                &json!({"username": name, "email": "x@example.vn", "kind": "citizen", "password": PASSWORD}),
            ),
        ]
        .into_iter()
        .chain(["reissue", "lock", "unlock", "revoke"].map(|action| admin(&s, &encoded, action)))
        .collect::<Vec<_>>();
        for (i, (status, v)) in answers.iter().enumerate() {
            assert!(
                *status == 422
                    && ["request.invalid", "account.invalid_username"].contains(&code(v)),
                "{name:?}, request {i}: {status} {v}"
            );
        }
    }
    // A birth date in another writing would turn the birth-date rule off.
    let (status, v) = post(
        &s.addr,
        "/v1/accounts",
        None,
        &json!({"username": "ngay", "email": "ngay@example.vn", "kind": "citizen",
                "password": "Hoa-Sen#02051990", "context": {"date_of_birth": "02/05/1990"}}),
    );
    assert_eq!((status, code(&v)), (422, "request.invalid"), "{v}");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("context.date_of_birth"));
    let (status, v) = post(
        &s.addr,
        "/v1/check",
        None,
        &json!({"password": "Hoa-Sen#02051990", "context": {"date_of_birth": "1990-02-30"}}),
    );
    assert_eq!((status, code(&v)), (422, "request.invalid"), "{v}");
    let (status, v) = post(
        &s.addr,
        "/v1/accounts",
        None,
        &json!({"username": "ngay", "email": "ngay@example.vn", "kind": "citizen",
                "password": "Hoa-Sen#02051990", "context": {"full_name": "Ngày\u{0}Sinh"}}),
    );
    assert_eq!((status, code(&v)), (422, "request.invalid"), "{v}");
    let (status, v) = post(
        &s.addr,
        "/v1/admin/sweep",
        Some(TOKEN),
        &json!({"as_of": "<script>1990</script>", "dry_run": true}),
    );
    assert_eq!((status, code(&v)), (422, "request.invalid"), "{v}");
    assert!(!v.to_string().contains("script"), "{v}");
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM accounts"), 1);
}

/// `kill -9` while registrations, changes and failed logins run at once, twice: every
/// acknowledged registration and change is there after the restart with its one audit entry,
/// and a change whose answer was lost is either whole (its password works, and it is audited)
/// or absent.
fn kill_during_concurrent_writes_loses_nothing(backend: Backend) {
    let dir = scratch("crash");
    let db = database(backend, &dir);
    // Passwords may change again at once here (the default policy waits a day).
    let policy = dir.join("policy.json");
    std::fs::write(&policy, r#"{"id": "crash-test", "min_age_hours": 0}"#).unwrap();
    let policy = policy.display().to_string();
    // Every client here is 127.0.0.1: its failed logins must not throttle the registrations.
    let args = [
        "--database",
        db.as_str(),
        "--admin-token",
        TOKEN,
        "--address-max-failures",
        "100000",
        "--policy",
        &policy,
    ];
    let mut s = serve_in(dir.clone(), &args);
    const CHANGERS: usize = 3;
    // Per changed account: its password in force and its audited changes, as far as known.
    let mut accounts: Vec<(String, String, i64)> = Vec::new();
    for c in 0..CHANGERS {
        let name = format!("doi{c}");
        register(&s, &name);
        accounts.push((name, PASSWORD.to_string(), 0));
    }
    for round in 0..2 {
        let stop = Arc::new(AtomicBool::new(false));
        let registrations: Vec<_> = (0..2)
            .map(|t| {
                let (addr, stop) = (s.addr.clone(), stop.clone());
                std::thread::spawn(move || {
                    let mut acked = Vec::new();
                    for i in 0..300 {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let name = format!("moi{round}x{t}x{i}");
                        let body = json!({"username": name, "email": format!("{name}@example.vn"),
                                          "kind": "citizen", "password": PASSWORD});
                        if common::server::try_post(&addr, "/v1/accounts", &body) == Some(201) {
                            acked.push(name);
                        }
                    }
                    acked
                })
            })
            .collect();
        // Each changer rotates one account: (acknowledged passwords, one whose answer was lost).
        let changers: Vec<_> = accounts
            .iter()
            .cloned()
            .enumerate()
            .map(|(c, (name, current, _))| {
                let (addr, stop) = (s.addr.clone(), stop.clone());
                std::thread::spawn(move || {
                    let (mut current, mut acked, mut lost) = (current, Vec::new(), None);
                    for i in 0..300 {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        const WORDS: [&str; 6] = ["Mây", "Gió", "Mưa", "Nắng", "Sương", "Trăng"];
                        let new = format!("{}-Sông-Hồng@Chảy-{round}{c}{i}x", WORDS[i % 6]);
                        let body = json!({"current_password": current, "new_password": new});
                        let path = format!("/v1/accounts/{name}/password");
                        match common::server::try_post(&addr, &path, &body) {
                            Some(200) => {
                                acked.push(new.clone());
                                current = new;
                            }
                            Some(_) => {}
                            None => {
                                lost = Some(new);
                                break;
                            }
                        }
                    }
                    (acked, lost)
                })
            })
            .collect();
        let failures = {
            let (addr, stop) = (s.addr.clone(), stop.clone());
            std::thread::spawn(move || {
                for i in 0..600 {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let body = json!({"username": format!("khong{}", i % 7), "password": format!("Sai#{i}")});
                    let _ = common::server::try_post(&addr, "/v1/login", &body);
                }
            })
        };
        std::thread::sleep(Duration::from_millis(1500));
        drop(s); // SIGKILL, with requests in flight
        stop.store(true, Ordering::SeqCst);
        let registered: Vec<String> = registrations
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        let changed: Vec<(Vec<String>, Option<String>)> =
            changers.into_iter().map(|t| t.join().unwrap()).collect();
        assert!(
            changed.iter().any(|(acked, _)| !acked.is_empty()),
            "round {round}: some changes were acknowledged"
        );
        failures.join().unwrap();
        s = serve_in(dir.clone(), &args);

        assert!(
            !registered.is_empty(),
            "round {round}: some registrations were acknowledged"
        );
        for name in &registered {
            let created = format!(
                "SELECT COUNT(*) FROM audit_log WHERE username = '{name}' AND action = 'account.created'"
            );
            assert_eq!(
                scalar(
                    &db,
                    &format!("SELECT COUNT(*) FROM accounts WHERE username = '{name}'")
                ),
                1,
                "{name}"
            );
            assert_eq!(scalar(&db, &created), 1, "{name}: one audit entry");
        }
        for ((name, current, audited), (acked, lost)) in accounts.iter_mut().zip(changed) {
            let count = format!(
                "SELECT COUNT(*) FROM audit_log WHERE username = '{name}' AND action = 'password.changed'"
            );
            let now_audited = scalar(&db, &count);
            let expected = acked.last().cloned().unwrap_or_else(|| current.clone());
            let committed_lost = match &lost {
                Some(p) => login(&s, name, p).0 == 200,
                None => false,
            };
            let in_force = if committed_lost {
                lost.clone().unwrap()
            } else {
                expected
            };
            assert_eq!(
                login(&s, name, &in_force).0,
                200,
                "{name}: the password in force works"
            );
            assert_eq!(
                now_audited - *audited,
                acked.len() as i64 + i64::from(committed_lost),
                "{name}: one audit entry per change made"
            );
            *current = in_force;
            *audited = now_audited;
        }
    }
}

on_both!(
    failures_right_after_a_reset_count,
    a_burst_across_a_second_boundary_locks_exactly,
    a_slow_mail_server_holds_up_no_other_request,
    a_crash_between_delivery_and_record_sends_once,
    audit_paging_skips_nothing_while_others_write,
    bad_input_never_reaches_the_database,
    kill_during_concurrent_writes_loses_nothing
);

/// Mounts a tmpfs of `size` at `dir` (the test runs as root, as `cargo xtask test` does on CI).
fn mount_tmpfs(dir: &std::path::Path, size: &str) {
    let status = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .status()
        .expect("run mount");
    assert!(
        status.success(),
        "cannot mount a tmpfs at {} (this test needs root, as under `cargo xtask test` on CI)",
        dir.display()
    );
}

/// Unmounts `dir` when dropped.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

/// Fills the file system of `dir` with a file until no byte fits.
fn fill(dir: &std::path::Path) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).expect("filler");
    let block = vec![0x5a_u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    for _ in 0..4096 {
        if f.write_all(&[0x5a]).is_err() {
            break;
        }
    }
    let _ = f.sync_all();
    path
}

/// SQLite on a file system that fills up and is freed: writes are refused with 503
/// `storage.write` (never a 500 with the driver's words), `/healthz` and `/readyz` say the store
/// cannot write, and once space is back every write works again and failed logins count.
#[test]
fn a_full_disk_is_reported_and_recovered_from() {
    let dir = scratch("full-disk");
    mount_tmpfs(&dir, "4m");
    let _mounted = Mounted(dir.clone());
    let s = serve_in(dir.clone(), &["--admin-token", TOKEN]);
    register(&s, "day");
    let filler = fill(&dir);
    let mut refused = 0;
    for i in 0..40 {
        let (status, v) = post(
            &s.addr,
            "/v1/accounts",
            None,
            &json!({"username": format!("them{i}"), "email": format!("them{i}@example.vn"),
                    "kind": "citizen", "password": PASSWORD,
                    "context": {"extra": vec!["đầy ổ đĩa".repeat(14); 16]}}),
        );
        match status {
            201 => {}
            503 => {
                assert_eq!(code(&v), "storage.write", "{v}");
                assert_eq!(
                    v["error"]["message"],
                    "the database cannot be written at the moment; nothing changed",
                    "a fixed message, not the driver's words"
                );
                refused += 1;
            }
            other => panic!("{other}: {v}"),
        }
    }
    assert!(refused > 0, "the full disk refused writes");
    std::thread::sleep(Duration::from_millis(1100));
    for path in ["/healthz", "/readyz"] {
        let (status, v) = get(&s.addr, path, None);
        assert_eq!(
            (status, v["database"].as_str()),
            (503, Some("cannot_write")),
            "{path}: {v}"
        );
    }
    std::fs::remove_file(filler).unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        get(&s.addr, "/healthz", None).0,
        200,
        "healthy again once space is back"
    );
    let got = wrong_logins([&s, &s], "day", MAX_FAILURES, "full");
    assert_eq!(got, locked_on_the_last(), "failed logins count again");
    register(&s, "sau");
}

/// Runs `matkhau serve` on a database that cannot be used; returns its exit status and error
/// text, or fails if it is still running after `limit`.
fn refused_at_start(dir: &std::path::Path, args: &[&str], limit: Duration) -> String {
    let mut child = common::matkhau()
        .args(["serve", "--listen", "127.0.0.1:0", "--sweep-interval", "0"])
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start matkhau");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(!status.success());
            let mut text = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            return text;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("still running after {limit:?}: a damaged database must be refused at once");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A truncated file, a zeroed header and a read-only file system are refused at start within
/// seconds, naming the file and what to do; garbage in the middle of a file is found by
/// `--check-integrity`.
#[test]
fn a_damaged_database_is_refused_at_start() {
    let dir = scratch("damaged");
    let file = dir.join("matkhau.db");
    let spec = file.display().to_string();
    {
        let s = serve_in(dir.clone(), &["--database", &spec]);
        for i in 0..30 {
            register(&s, &format!("hong{i}"));
        }
    }
    // The server was killed: its last writes are in the WAL; fold them into the file.
    common::db::exec(
        &format!("sqlite://{spec}"),
        "PRAGMA wal_checkpoint(TRUNCATE)",
    );
    let good = std::fs::read(&file).unwrap();
    assert!(good.len() > 8192, "a database of several pages");
    let limit = Duration::from_secs(15);

    let zeroed_header = {
        let mut b = good.clone();
        b[..100].fill(0);
        b
    };
    let truncated = good[..good.len() / 3].to_vec();
    for (what, bytes) in [("zeroed header", &zeroed_header), ("truncated", &truncated)] {
        let _ = std::fs::remove_file(dir.join("matkhau.db-wal"));
        let _ = std::fs::remove_file(dir.join("matkhau.db-shm"));
        std::fs::write(&file, bytes).unwrap();
        // Without --check-integrity too: the start-up probe and the schema read find these.
        let text = refused_at_start(&dir, &["--database", &spec], limit);
        assert!(text.contains(&spec), "{what}: names the file: {text}");
        assert!(text.contains("backup"), "{what}: says what to do: {text}");
    }

    // Garbage in the middle: the header is fine, a page is not.
    let mut middle = good.clone();
    let at = good.len() / 2;
    for (i, b) in middle[at..at + 2048].iter_mut().enumerate() {
        *b = (i * 7 + 13) as u8;
    }
    std::fs::write(&file, &middle).unwrap();
    let text = refused_at_start(&dir, &["--database", &spec, "--check-integrity"], limit);
    assert!(
        text.contains("damaged") && text.contains("backup"),
        "{text}"
    );

    // A read-only file system.
    let ro = scratch("read-only");
    mount_tmpfs(&ro, "4m");
    let _mounted = Mounted(ro.clone());
    std::fs::write(ro.join("matkhau.db"), &good).unwrap();
    let status = std::process::Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&ro)
        .status()
        .unwrap();
    assert!(status.success());
    let ro_spec = ro.join("matkhau.db").display().to_string();
    let text = refused_at_start(&dir, &["--database", &ro_spec], limit);
    assert!(text.contains(&ro_spec), "names the file: {text}");
}

/// The outbox's file system is full: the temporary password's mail fails whole (no empty or
/// partial `.eml` left), stays queued, and goes out once there is room.
#[test]
fn a_full_outbox_leaves_no_partial_message() {
    let dir = scratch("full-outbox");
    let outbox = scratch("full-outbox-mail");
    mount_tmpfs(&outbox, "1m");
    let _mounted = Mounted(outbox.clone());
    let db = database(Backend::Sqlite, &dir);
    let outbox_arg = outbox.display().to_string();
    let args = [
        "--database",
        &db,
        "--admin-token",
        TOKEN,
        "--outbox",
        &outbox_arg,
    ];
    let s = serve_in(dir.clone(), &args);
    register(&s, "thu");
    let filler = fill(&outbox);
    let (status, v) = admin(&s, "thu", "reissue");
    assert_eq!(
        (status, v["mail_sent"].as_bool()),
        (200, Some(false)),
        "{v}"
    );
    let left: Vec<String> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(left, ["filler"], "nothing half-written is left");
    std::fs::remove_file(filler).unwrap();
    common::db::exec(&db, "UPDATE mail_queue SET next_attempt_at = 0");
    drop(s);
    let s = serve_in(dir, &args);
    assert!(eventually(Duration::from_secs(20), || outbox_of(&outbox)
        .len()
        == 1));
    let temporary = temporary_password(&outbox_of(&outbox)[0]);
    assert_eq!(login(&s, "thu", &temporary).1["status"], "must_change");
}

/// The decoded messages in an outbox folder.
fn outbox_of(dir: &std::path::Path) -> Vec<String> {
    common::mail::read_outbox(dir)
}
