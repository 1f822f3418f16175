//! Two `matkhau serve` processes on one PostgreSQL database, hammering the same account at once:
//! the lockout decision and the password history stay exact.

mod common;

use common::db::{database, exec, scalar, Backend};
use common::server::{get, post, scratch, serve_in, Server};
use serde_json::json;
use std::sync::{Arc, Barrier};

const TOKEN: &str = "replica-token-for-tests-0123456789abcdef";
const PW: &str = "Trống-Đồng#Xanh-Biếc42";
const ROUNDS: [&str; 3] = [
    "Sông-Hồng@Chảy-Mãi",
    "Núi#Tản-Viên-Cao",
    "Lúa-Chín&Vàng-Đồng",
];
const WORDS: [&str; 6] = ["Mây", "Gió", "Mưa", "Nắng", "Sương", "Trăng"];

/// The new password thread `t` proposes in `round`.
fn candidate(round: usize, t: usize) -> String {
    format!("{}-{}{t}{round}7", ROUNDS[round], WORDS[t])
}

fn replicas() -> (Server, Server, String) {
    let db = database(Backend::Postgres, &scratch("replicas"));
    let args = [
        "--database",
        db.as_str(),
        "--admin-token",
        TOKEN,
        "--address-max-failures",
        "100000",
    ];
    let a = serve_in(scratch("replica-a"), &args);
    let b = serve_in(scratch("replica-b"), &args);
    (a, b, db)
}

/// Runs `per_thread` requests on each of `threads` threads, alternating the two servers, all
/// starting together; returns every (thread, attempt, status, body).
fn hammer(
    servers: [&str; 2],
    threads: usize,
    per_thread: usize,
    request: impl Fn(&str, usize, usize) -> (u16, serde_json::Value) + Send + Sync + 'static,
) -> Vec<(usize, usize, u16, serde_json::Value)> {
    let request = Arc::new(request);
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let addr = servers[t % 2].to_string();
            let request = request.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                (0..per_thread)
                    .map(|i| {
                        let (status, body) = request(&addr, t, i);
                        (t, i, status, body)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|h| h.join().expect("thread"))
        .collect()
}

#[test]
fn two_replicas_keep_lockout_and_history_exact() {
    let (a, b, db) = replicas();
    let (status, v) = post(
        &a.addr,
        "/v1/accounts",
        None,
        &json!({"username": "hammer", "email": "h@example.vn", "kind": "citizen", "password": PW}),
    );
    assert_eq!(status, 201, "{v}");

    // 40 distinct wrong passwords at once through both replicas. The decision is taken under the
    // account's row lock after each failure is written, so exactly max_failures - 1 = 4 answers
    // are "wrong password" and every other one is "locked", however the requests interleave.
    let answers = hammer([&a.addr, &b.addr], 8, 5, |addr, t, i| {
        post(
            addr,
            "/v1/login",
            None,
            &json!({"username": "hammer", "password": format!("Sai-Mat-Khau#{t}-{i}")}),
        )
    });
    let failed = answers.iter().filter(|a| a.2 == 401).count();
    let locked = answers.iter().filter(|a| a.2 == 423).count();
    assert_eq!((failed, locked), (4, 36), "{answers:?}");
    let recorded = scalar(
        &db,
        "SELECT COUNT(*) FROM login_failures WHERE username_key = 'hammer'",
    );
    assert!((5..=40).contains(&recorded), "{recorded}");
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'login.locked_out' AND username = 'hammer'"
        ),
        1,
        "the lock is audited once across replicas"
    );
    let (status, _) = post(
        &b.addr,
        "/v1/login",
        None,
        &json!({"username": "hammer", "password": PW}),
    );
    assert_eq!(status, 423, "the right password does not pass a lock");
    assert_eq!(
        post(
            &a.addr,
            "/v1/admin/accounts/hammer/unlock",
            Some(TOKEN),
            &json!({})
        )
        .0,
        200
    );

    // Concurrent changes of one password through both replicas: exactly one wins each round, its
    // old password joins the history once, and only the winner's new password works.
    let mut current = PW.to_string();
    for round in 0..ROUNDS.len() {
        // Expired: a forced change, so the minimum age between changes does not apply.
        exec(
            &db,
            "UPDATE accounts SET password_set_at = password_set_at - 200 * 86400 WHERE username_key = 'hammer'",
        );
        let from = current.clone();
        let answers = hammer([&a.addr, &b.addr], 6, 1, move |addr, t, _| {
            post(
                addr,
                "/v1/accounts/hammer/password",
                None,
                &json!({"current_password": from, "new_password": candidate(round, t)}),
            )
        });
        let winners: Vec<_> = answers.iter().filter(|a| a.2 == 200).collect();
        assert_eq!(winners.len(), 1, "{answers:?}");
        for (_, _, status, body) in &answers {
            let code = body["error"]["code"].as_str().unwrap_or("");
            assert!(
                *status == 200
                    || matches!(
                        code,
                        "password.conflict" | "login.failed" | "password.too_soon"
                    ),
                "{status} {body}"
            );
        }
        current = candidate(round, winners[0].0);
        assert_eq!(
            scalar(
                &db,
                "SELECT COUNT(*) FROM password_history h JOIN accounts a ON a.id = h.account_id \
                 WHERE a.username_key = 'hammer'"
            ),
            round as i64 + 1
        );
        // The winner's password works; then each loser's is refused.
        let mut tried: Vec<_> = answers.iter().map(|a| (a.2 == 200, a.0)).collect();
        tried.sort_by_key(|(won, _)| !won);
        for (won, t) in tried {
            let password = candidate(round, t);
            let (login, _) = post(
                &a.addr,
                "/v1/login",
                None,
                &json!({"username": "hammer", "password": password}),
            );
            assert_eq!(login == 200, won, "{password}: {login}");
        }
        // The losers' attempts count as failures: clear them for the next round.
        assert_eq!(
            post(
                &b.addr,
                "/v1/admin/accounts/hammer/unlock",
                Some(TOKEN),
                &json!({})
            )
            .0,
            200
        );
    }
    let (_, audit) = get(
        &a.addr,
        "/v1/admin/audit?username=hammer&limit=1000",
        Some(TOKEN),
    );
    let changes = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "password.changed")
        .count();
    assert_eq!(changes, 3);
}
