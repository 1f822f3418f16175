//! VPN sign-in through RADIUS end to end: a private FreeRADIUS on loopback with the shipped
//! configuration (`deploy/freeradius/`) asks `matkhau serve` over HTTP, and `radclient` (from
//! `freeradius-utils`) plays the VPN concentrator. Accept only with the right password and
//! code; a wrong code, a replayed code, a locked or revoked account are rejected. On SQLite and
//! PostgreSQL. `cargo xtask test` installs FreeRADIUS when it is missing.

#[macro_use]
mod common;

use common::db::{database, scalar, Backend};
use common::server::{post, scratch, serve_in, Server};
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::net::UdpSocket;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};
use totp_rs::TOTP;

const ADMIN: &str = "admin-token-for-tests-0123456789abcdef";
const RADIUS_TOKEN: &str = "radius-token-for-tests-0123456789abcdef";
const SECRET: &str = "shared secret with # and \" in it";
const PW: &str = "Trống-Đồng#Xanh-Biếc42";

/// A FreeRADIUS process with the shipped configuration, stopped when dropped.
struct Radius {
    child: Child,
    port: u16,
}

impl Drop for Radius {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A UDP port free on loopback now.
fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free UDP port")
        .port()
}

fn start_radius(server: &Server) -> Radius {
    let run = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/freeradius/run.sh");
    let port = free_port();
    let mut child = Command::new("sh")
        .arg(run)
        .env(
            "MATKHAU_RADIUS_URL",
            format!("http://{}/v1/radius/authenticate", server.addr),
        )
        .env("MATKHAU_RADIUS_TOKEN", RADIUS_TOKEN)
        .env("MATKHAU_RADIUS_SECRET", SECRET)
        .env("MATKHAU_RADIUS_RUN_DIR", server.dir.join("radius"))
        .env("MATKHAU_RADIUS_PORT", port.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("FreeRADIUS: run `cargo xtask test`, which installs it");
    let out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut seen = Vec::new();
    for line in out.lines() {
        let line = line.expect("FreeRADIUS output");
        if line.contains("Ready to process requests") {
            break;
        }
        seen.push(line);
        assert!(seen.len() < 500, "FreeRADIUS did not start: {seen:#?}");
    }
    Radius { child, port }
}

/// One Access-Request with radclient (the concentrator): whether it was accepted.
fn access(radius: &Radius, username: &str, typed: &str) -> bool {
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let packet = format!(
        "User-Name = \"{}\"\nUser-Password = \"{}\"\nCalling-Station-Id = \"198.51.100.7\"\n",
        quote(username),
        quote(typed)
    );
    let mut child = Command::new("radclient")
        .args(["-r", "1", "-t", "8"])
        .arg(format!("127.0.0.1:{}", radius.port))
        .args(["auth", SECRET])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("radclient (freeradius-utils)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(packet.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    match (
        text.contains("Received Access-Accept"),
        text.contains("Received Access-Reject"),
    ) {
        (true, false) => true,
        (false, true) => false,
        _ => panic!("radclient gave no answer: {text}"),
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Creates a staff account with an enrolled app; its generator.
fn staff(s: &Server, username: &str) -> TOTP {
    let (status, v) = post(
        &s.addr,
        "/v1/accounts",
        Some(ADMIN),
        &json!({"username": username, "email": format!("{username}@example.vn"), "kind": "staff",
                "password": PW}),
    );
    assert_eq!(status, 201, "{v}");
    let (status, e) = post(
        &s.addr,
        &format!("/v1/accounts/{username}/otp"),
        None,
        &json!({"password": PW}),
    );
    assert_eq!(status, 201, "{e}");
    let totp = TOTP::from_url(e["otpauth_uri"].as_str().unwrap()).unwrap();
    let (status, v) = post(
        &s.addr,
        &format!("/v1/accounts/{username}/otp/confirm"),
        None,
        &json!({"password": PW, "code": totp.generate(now())}),
    );
    assert_eq!(status, 200, "{v}");
    totp
}

/// matkhau with both tokens, and FreeRADIUS in front of it; (server, RADIUS, database URL).
fn start(backend: Backend, name: &str) -> (Server, Radius, String) {
    let dir = scratch(name);
    let db = database(backend, &dir);
    let args = [
        "--database",
        db.as_str(),
        "--admin-token",
        ADMIN,
        "--radius-token",
        RADIUS_TOKEN,
    ];
    let s = serve_in(dir, &args);
    let radius = start_radius(&s);
    (s, radius, db)
}

fn vpn_sign_in_through_freeradius(backend: Backend) {
    let (s, radius, db) = start(backend, "radius");
    let totp = staff(&s, "canbo.vpn");
    // The confirmation used this step's code: the app's next one (one step of skew) signs in.
    let next = totp.generate(now() + 30);
    let wrong = format!("{:06}", (next.parse::<u32>().unwrap() + 1) % 1_000_000);
    assert!(
        !access(&radius, "canbo.vpn", &format!("{PW}{wrong}")),
        "wrong code"
    );
    assert!(!access(&radius, "canbo.vpn", PW), "no code");
    assert!(
        !access(&radius, "canbo.vpn", &format!("Sai#{PW}{next}")),
        "wrong password"
    );
    assert!(
        access(&radius, "canbo.vpn", &format!("{PW}{next}")),
        "password + code"
    );
    assert!(
        !access(&radius, "canbo.vpn", &format!("{PW}{next}")),
        "a replayed code"
    );
    assert!(
        !access(&radius, "nobody.vpn", &format!("{PW}{next}")),
        "an unknown user"
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'radius.accepted'"
        ),
        1
    );

    // A staff account without an app is refused, right password or not.
    let (status, _) = post(
        &s.addr,
        "/v1/accounts",
        Some(ADMIN),
        &json!({"username": "canbo.noapp", "email": "noapp@example.vn", "kind": "staff", "password": PW}),
    );
    assert_eq!(status, 201);
    assert!(!access(&radius, "canbo.noapp", PW));

    // Locked, then revoked: refused whatever is typed.
    let (status, _) = post(
        &s.addr,
        "/v1/admin/accounts/canbo.vpn/lock",
        Some(ADMIN),
        &json!({}),
    );
    assert_eq!(status, 200);
    let later = totp.generate(now() + 30);
    assert!(
        !access(&radius, "canbo.vpn", &format!("{PW}{later}")),
        "locked"
    );
    post(
        &s.addr,
        "/v1/admin/accounts/canbo.vpn/unlock",
        Some(ADMIN),
        &json!({}),
    );
    post(
        &s.addr,
        "/v1/admin/accounts/canbo.vpn/revoke",
        Some(ADMIN),
        &json!({}),
    );
    assert!(
        !access(&radius, "canbo.vpn", &format!("{PW}{later}")),
        "revoked"
    );

    // The route answers only FreeRADIUS's token.
    let (status, v) = post(&s.addr, "/v1/radius/authenticate", Some(ADMIN), &json!({}));
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (401, Some("auth.required"))
    );
    drop(radius);
}

fn wrong_codes_over_radius_lock_the_account(backend: Backend) {
    let (s, radius, _db) = start(backend, "radius-lock");
    let totp = staff(&s, "canbo.lock");
    let next = totp.generate(now() + 30);
    for i in 1..=5u32 {
        let wrong = format!(
            "{:06}",
            (next.parse::<u32>().unwrap() + i * 7919) % 1_000_000
        );
        assert!(!access(&radius, "canbo.lock", &format!("{PW}{wrong}")));
    }
    // Five distinct wrong codes locked it, as five wrong passwords would: the right code no
    // longer signs in, at the VPN or at the portal.
    assert!(!access(&radius, "canbo.lock", &format!("{PW}{next}")));
    let (status, v) = post(
        &s.addr,
        "/v1/login",
        None,
        &json!({"username": "canbo.lock", "password": PW}),
    );
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (423, Some("login.locked")),
        "{v}"
    );
}

on_both!(
    vpn_sign_in_through_freeradius,
    wrong_codes_over_radius_lock_the_account
);
