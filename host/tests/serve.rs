//! `matkhau serve` over real HTTP on loopback: the check and policy routes answer through the
//! plug-in, the admin reload (token required) and SIGHUP swap the plug-in while requests keep
//! being answered, and bad input gets stable error codes.

mod common;

use common::server::{http, json, serve};
use std::time::Duration;

/// The header of a JSON body.
const JSON: &[(&str, &str)] = &[("Content-Type", "application/json")];

#[test]
fn check_and_policy_answer_through_the_plugin() {
    let server = serve(&[]);
    let (status, body) = http(
        &server.addr,
        "POST",
        "/v1/check",
        &[("Content-Type", "application/json")],
        br#"{"password": "Matkhau@123", "locale": "en"}"#,
    );
    assert_eq!(status, 200, "{body}");
    // The host screens the password too: the verdict has the breach check, clean here.
    let native = matkhau_core::evaluate_exposed(
        "Matkhau@123",
        &Default::default(),
        &Default::default(),
        matkhau_core::Locale::En,
        Some(&matkhau_core::Exposure::default()),
    )
    .to_json();
    assert_eq!(body, native);
    // Accept-Language picks the locale when the body does not.
    let (_, vi) = http(
        &server.addr,
        "POST",
        "/v1/check",
        &[
            ("Accept-Language", "vi-VN,en;q=0.5"),
            ("Content-Type", "application/json; charset=utf-8"),
        ],
        br#"{"password": "Matkhau@123"}"#,
    );
    assert!(vi.contains("Mật khẩu"), "{vi}");
    let (status, body) = http(&server.addr, "GET", "/v1/policy", &[], b"");
    assert_eq!(status, 200);
    let p = json(&body);
    assert_eq!(p["policy"]["min_length"], 8);
    assert_eq!(p["plugin"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn bad_input_gets_stable_codes_and_is_never_echoed() {
    let server = serve(&[]);
    for (body, status, code) in [
        (&b"{\"password\": \"S3cret!x\""[..], 400, "request.json"),
        (&b"{\"pasword\": \"S3cret!x\"}"[..], 422, "request.invalid"),
        (
            &b"{\"password\": \"S3cret!x\", \"context\": {\"nick\": \"S3cret!x\"}}"[..],
            422,
            "request.invalid",
        ),
        (
            &b"{\"password\": \"S3cret!x\", \"locale\": \"fr\"}"[..],
            422,
            "request.invalid",
        ),
        (&b"\xff\xfe"[..], 400, "request.utf8"),
    ] {
        let (got, text) = http(&server.addr, "POST", "/v1/check", JSON, body);
        assert_eq!(got, status, "{text}");
        assert_eq!(json(&text)["error"]["code"], code, "{text}");
        assert!(!text.contains("S3cret"), "{text}");
    }
    let big = format!("{{\"password\": \"{}\"}}", "x".repeat(100_000));
    let (status, _) = http(&server.addr, "POST", "/v1/check", JSON, big.as_bytes());
    assert_eq!(status, 413);
    // A body that is not declared JSON (what a cross-site form sends): 415, not read.
    for media in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let (status, text) = http(
            &server.addr,
            "POST",
            "/v1/check",
            &[("Content-Type", media)],
            br#"{"password": "Matkhau@123"}"#,
        );
        assert_eq!(
            (status, json(&text)["error"]["code"].as_str()),
            (415, Some("request.media_type")),
            "{media}: {text}"
        );
    }
    let (status, _) = http(
        &server.addr,
        "POST",
        "/v1/check",
        &[],
        br#"{"password": "x"}"#,
    );
    assert_eq!(status, 415, "no Content-Type");
    // The engine's input is bounded: a context past the ABI's bounds is refused, not evaluated.
    let words: Vec<String> = (0..17).map(|i| format!("tu{i}")).collect();
    for context in [
        serde_json::json!({"extra": words}),
        serde_json::json!({"full_name": "a".repeat(129)}),
    ] {
        let body = serde_json::json!({"password": "Matkhau@123", "context": context});
        let (status, text) = http(
            &server.addr,
            "POST",
            "/v1/check",
            JSON,
            body.to_string().as_bytes(),
        );
        assert_eq!(
            (status, json(&text)["error"]["code"].as_str()),
            (413, Some("request.too_large")),
            "{text}"
        );
    }
    let (status, text) = http(&server.addr, "GET", "/nowhere", &[], b"");
    assert_eq!(
        (status, json(&text)["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    // The server is still there.
    assert_eq!(http(&server.addr, "GET", "/healthz", &[], b"").0, 200);
}

#[test]
fn admin_routes_need_a_configured_token() {
    let server = serve(&[]);
    let (status, _) = http(
        &server.addr,
        "POST",
        "/v1/admin/plugin/reload",
        &[("Authorization", "Bearer x")],
        b"",
    );
    assert_eq!(status, 404, "no token configured: no admin routes");
    let server = serve(&["--admin-token", "t0ken-for-tests-0123456789abcdef-xyz"]);
    let (status, body) = http(
        &server.addr,
        "POST",
        "/v1/admin/plugin/reload",
        &[("Authorization", "Bearer wrong")],
        b"",
    );
    assert_eq!(
        (status, json(&body)["error"]["code"].as_str()),
        (401, Some("auth.required"))
    );
    let (status, _) = http(&server.addr, "POST", "/v1/admin/plugin/reload", &[], b"");
    assert_eq!(status, 401);
}

#[test]
fn reload_by_endpoint_and_signal_while_requests_keep_succeeding() {
    let dir = std::env::temp_dir().join(format!("matkhau-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("policy.wasm");
    std::fs::write(&file, matkhau_host::plugin::EMBEDDED).unwrap();
    let server = serve(&[
        "--admin-token",
        "t0ken-for-tests-0123456789abcdef-xyz",
        "--policy-plugin",
        file.to_str().unwrap(),
    ]);
    let addr = server.addr.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..2)
        .map(|_| {
            let (addr, stop) = (addr.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let (status, body) = http(
                        &addr,
                        "POST",
                        "/v1/check",
                        JSON,
                        br#"{"password": "Hanoi@2024"}"#,
                    );
                    assert_eq!(status, 200, "{body}");
                    n += 1;
                }
                n
            })
        })
        .collect();
    let auth = [(
        "Authorization",
        "Bearer t0ken-for-tests-0123456789abcdef-xyz",
    )];
    for _ in 0..3 {
        let (status, body) = http(&addr, "POST", "/v1/admin/plugin/reload", &auth, b"");
        assert_eq!(status, 200, "{body}");
        assert_eq!(json(&body)["policy_id"], "bhxh-default");
    }
    // A pin that does not match: refused, the active plug-in stays.
    let (status, body) = http(
        &addr,
        "POST",
        "/v1/admin/plugin/reload",
        &[auth[0], JSON[0]],
        format!("{{\"sha256\": \"{}\"}}", "00".repeat(32)).as_bytes(),
    );
    assert_eq!(
        (status, json(&body)["error"]["code"].as_str()),
        (422, Some("plugin.digest_mismatch"))
    );
    // SIGHUP.
    let pid = server.pid().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-HUP", &pid])
        .status()
        .unwrap()
        .success());
    let mut reloads = 0;
    for _ in 0..200 {
        reloads = json(&http(&addr, "GET", "/healthz", &[], b"").1)["reloads"]
            .as_u64()
            .unwrap();
        if reloads == 4 {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    assert_eq!(reloads, 4, "three endpoint reloads and one SIGHUP");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let answered: usize = clients
        .into_iter()
        .map(|c| c.join().expect("no failed request"))
        .sum();
    assert!(answered > 0);
}

/// Every operation of the OpenAPI document (the router's own declaration), as (method, path
/// with its parameters filled in, whether it declares the admin token).
fn operations(doc: &serde_json::Value) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            let concrete = path
                .replace("{username}", "nobody")
                .replace("{prefix}", "5BAA6");
            let secured = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("admin_token").is_some()));
            out.push((method.to_uppercase(), concrete, secured));
        }
    }
    out
}

#[test]
fn every_admin_route_refuses_a_request_without_the_token() {
    let token = "t0ken-for-tests-0123456789abcdef-xyz";
    // The RADIUS route is routed only with its token (the same one here).
    let server = serve(&["--admin-token", token, "--radius-token", token]);
    let (status, text) = http(&server.addr, "GET", "/openapi.json", &[], b"");
    assert_eq!(status, 200);
    let ops = operations(&json(&text));
    let admin: Vec<_> = ops
        .iter()
        .filter(|(_, p, _)| p.starts_with("/v1/admin/"))
        .collect();
    assert!(admin.len() >= 9, "{admin:?}");
    for (method, path, secured) in &admin {
        assert!(secured, "{method} {path} does not declare the admin token");
        for headers in [
            vec![],
            vec![("Authorization", "Bearer wrong")],
            vec![("Authorization", token)],
        ] {
            let (status, body) = http(&server.addr, method, path, &headers, b"");
            assert_eq!(
                (status, json(&body)["error"]["code"].as_str()),
                (401, Some("auth.required")),
                "{method} {path} with {headers:?}: {body}"
            );
        }
        // With the token the request reaches its handler (whatever it then answers).
        let auth = format!("Bearer {token}");
        let (status, body) = http(&server.addr, method, path, &[("Authorization", &auth)], b"");
        assert_ne!(status, 401, "{method} {path}: {body}");
    }
    // Every documented operation is routed: none answers 404 or 405 for its own method.
    for (method, path, _) in &ops {
        let auth = format!("Bearer {token}");
        let (status, body) = http(&server.addr, method, path, &[("Authorization", &auth)], b"");
        let code = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["error"]["code"].as_str().map(str::to_string));
        assert!(
            status != 405 && code.as_deref() != Some("not_found"),
            "{method} {path} is documented but not routed: {status} {body}"
        );
    }
    // Without a configured token the admin routes do not exist, whatever the method.
    let plain = serve(&[]);
    for (method, path, _) in &admin {
        let auth = format!("Bearer {token}");
        for method in [method.as_str(), "GET", "DELETE"] {
            let (status, _) = http(&plain.addr, method, path, &[("Authorization", &auth)], b"");
            assert_eq!(status, 404, "{method} {path}");
        }
    }
    // The API, as its document describes it: a route dropped from the declaration (or added)
    // shows here.
    let mut documented: Vec<String> = ops.iter().map(|(m, p, _)| format!("{m} {p}")).collect();
    documented.sort();
    assert_eq!(
        documented,
        [
            "GET /healthz",
            "GET /metrics",
            "GET /readyz",
            "GET /v1/admin/audit",
            "GET /v1/admin/report",
            "GET /v1/breach/range/5BAA6",
            "GET /v1/policy",
            "POST /v1/accounts",
            "POST /v1/accounts/nobody/activity",
            "POST /v1/accounts/nobody/context",
            "POST /v1/accounts/nobody/otp",
            "POST /v1/accounts/nobody/otp/confirm",
            "POST /v1/accounts/nobody/password",
            "POST /v1/admin/accounts/nobody/lock",
            "POST /v1/admin/accounts/nobody/otp/reset",
            "POST /v1/admin/accounts/nobody/reissue",
            "POST /v1/admin/accounts/nobody/revoke",
            "POST /v1/admin/accounts/nobody/unlock",
            "POST /v1/admin/accounts/nobody/valid-until",
            "POST /v1/admin/leaked",
            "POST /v1/admin/logins/nobody/clear",
            "POST /v1/admin/plugin/reload",
            "POST /v1/admin/sweep",
            "POST /v1/check",
            "POST /v1/login",
            "POST /v1/login/otp",
            "POST /v1/password-reset",
            "POST /v1/password-reset/complete",
            "POST /v1/password-reset/verify",
            "POST /v1/radius/authenticate",
        ]
    );
}

#[test]
fn every_route_reads_locales_alike() {
    let server = serve(&[]);
    // A region is allowed everywhere (it was a 422 on /v1/login).
    for (path, body) in [
        (
            "/v1/login",
            r#"{"username": "nobody", "password": "x", "locale": "vi-VN"}"#,
        ),
        (
            "/v1/check",
            r#"{"password": "Matkhau@123", "locale": "en-US"}"#,
        ),
    ] {
        let (status, text) = http(&server.addr, "POST", path, JSON, body.as_bytes());
        assert_ne!(status, 422, "{path}: {text}");
    }
    let english = |headers: &[(&str, &str)]| {
        let body = br#"{"password": "Matkhau@123"}"#;
        let headers = [headers, JSON].concat();
        let (_, text) = http(&server.addr, "POST", "/v1/check", &headers, body);
        text.contains("This password")
    };
    // Accept-Language by q-value, not by position.
    assert!(!english(&[("Accept-Language", "en;q=0.1, vi;q=0.9")]));
    assert!(english(&[("Accept-Language", "fr, en-GB;q=0.8, vi;q=0.5")]));
    assert!(!english(&[]));
    let (_, text) = http(
        &server.addr,
        "POST",
        "/v1/check",
        &[("Accept-Language", "vi"), JSON[0]],
        br#"{"password": "Matkhau@123", "locale": "en"}"#,
    );
    assert!(
        text.contains("This password"),
        "the body's locale wins: {text}"
    );
}
