//! `matkhau check` end to end: the real binary, real standard input and output.

mod common;

fn run(args: &[&str], input: &[u8]) -> (i32, Vec<serde_json::Value>) {
    let out = common::run_check(args, input);
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}

#[test]
fn one_verdict_per_line_in_order_and_errors_do_not_stop_the_run() {
    let mut input = Vec::new();
    input.extend_from_slice(br#"{"password": "Nguyenvanhung@1990"}"#);
    input.extend_from_slice(b"\nnot json\n");
    input.extend_from_slice(
        r#"{"password": "Kx7#mQ2v!Lp9Wz", "context": {"full_name": "Lê Văn Tám"}}"#.as_bytes(),
    );
    input.extend_from_slice(b"\n\xff\xfe\n\n");
    input.extend_from_slice(
        r#"{"password": "Tam@Le2024xq", "context": {"full_name": "Lê Văn Tám"}}"#.as_bytes(),
    );
    input.push(b'\n');
    let (code, out) = run(&["--locale", "en"], &input);
    assert_eq!(code, 0);
    assert_eq!(out.len(), 6);
    assert_eq!(out[0]["accepted"], false);
    assert_eq!(out[1]["error"]["line"], 2);
    assert_eq!(out[1]["error"]["code"], "input.json");
    assert_eq!(out[2]["accepted"], true);
    assert_eq!(out[3]["error"]["code"], "input.utf8");
    assert_eq!(out[4]["error"]["code"], "input.empty");
    assert_eq!(out[5]["accepted"], false);
    assert!(out[5]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["code"] == "personal.name"));
    assert!(out[0]["problems"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("This password"));
}

#[test]
fn vietnamese_is_the_default_locale() {
    let (_, out) = run(&[], br#"{"password": "abc"}"#);
    assert_eq!(
        out[0]["problems"][0]["message"],
        "Mật khẩu phải có ít nhất 8 ký tự."
    );
}

#[test]
fn policy_file_and_its_errors() {
    let dir = std::env::temp_dir().join(format!("matkhau-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"id": "strict", "min_length": 14}"#).unwrap();
    let (_, out) = run(
        &["--policy", good.to_str().unwrap()],
        br#"{"password": "Kx7#mQ2v!Lp9"}"#,
    );
    assert_eq!(out[0]["policy"]["id"], "strict");
    assert!(out[0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["code"] == "length.min" && c["ok"] == false));

    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"lockout": {"max_failures": 0}}"#).unwrap();
    let child = common::run_check(&["--policy", bad.to_str().unwrap()], b"");
    assert_eq!(child.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&child.stderr).contains("lockout.max_failures"));
}

#[test]
fn overlong_line_is_an_error_line() {
    let mut input = vec![b'{'; 70_000];
    input.extend_from_slice(b"\n{\"password\": \"x\"}\n");
    let (_, out) = run(&[], &input);
    assert_eq!(out[0]["error"]["code"], "input.too_large");
    assert_eq!(out[1]["accepted"], false);
}
