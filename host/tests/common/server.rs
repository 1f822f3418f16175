//! `matkhau serve` as a child process on loopback, each with its own database and outbox, and a
//! plain HTTP/1.1 client.

use super::matkhau;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// Its working folder (database file, outbox).
    pub dir: PathBuf,
}

impl Server {
    /// The process id (for signals).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status, once the process has ended.
    pub fn try_wait(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// The `.eml` files in the outbox, as decoded text, oldest first.
    pub fn outbox(&self) -> Vec<String> {
        super::mail::read_outbox(&self.dir.join("outbox"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh folder under the test target directory.
pub fn scratch(name: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Starts `matkhau serve` in a fresh folder: SQLite there unless `args` name a `--database`,
/// mail to its outbox unless they name an `--smtp-url`, no periodic sweep unless they set one, and
/// no attempt rate buckets unless they set them (every test client is 127.0.0.1; the buckets have
/// their own tests).
pub fn serve(args: &[&str]) -> Server {
    serve_in(scratch("serve"), args)
}

/// `serve` in a given folder (a restart keeps the SQLite file and the outbox).
pub fn serve_in(dir: PathBuf, args: &[&str]) -> Server {
    let mut command = matkhau();
    command.args(["serve", "--listen", "127.0.0.1:0"]);
    if !args.contains(&"--sweep-interval") {
        command.args(["--sweep-interval", "0"]);
    }
    for bucket in ["--address-rate", "--account-rate"] {
        if !args.contains(&bucket) {
            command.args([bucket, "0"]);
        }
    }
    let mut child = command
        .args(args)
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(
            if std::env::var_os("MATKHAU_TEST_SERVER_STDERR").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            },
        )
        .spawn()
        .expect("start matkhau serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    Server { child, addr, dir }
}

/// One HTTP/1.1 request; returns (status, body).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let (status, _, body) = http_full(addr, method, path, headers, body);
    (status, body)
}

/// One HTTP/1.1 request; returns (status, raw headers, body).
pub fn http_full(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("response");
    let text = String::from_utf8_lossy(&raw).to_string();
    let status: u16 = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status");
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_string(), body.to_string())
}

/// POSTs a JSON value to a server that may die meanwhile: `None` when the connection is refused
/// or breaks before a whole answer (the request may or may not have been carried out).
pub fn try_post(addr: &str, path: &str, body: &serde_json::Value) -> Option<u16> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    let body = body.to_string();
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw);
    let complete = text
        .split_once("\r\n\r\n")
        .is_some_and(|(_, body)| !body.is_empty());
    complete
        .then(|| text.split(' ').nth(1).and_then(|c| c.parse().ok()))
        .flatten()
}

/// POSTs a JSON value; returns (status, parsed body).
pub fn post(
    addr: &str,
    path: &str,
    token: Option<&str>,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("Authorization", a));
    }
    let (status, text) = http(addr, "POST", path, &headers, body.to_string().as_bytes());
    (status, json(&text))
}

/// GET with an optional token; (status, parsed body).
pub fn get(addr: &str, path: &str, token: Option<&str>) -> (u16, serde_json::Value) {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![];
    if let Some(a) = &auth {
        headers.push(("Authorization", a.as_str()));
    }
    let (status, text) = http(addr, "GET", path, &headers, b"");
    (status, json(&text))
}

/// Parses JSON or fails the test showing the text.
pub fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
}

/// `POST /v1/login`.
pub fn login(s: &Server, username: &str, password: &str) -> (u16, serde_json::Value) {
    post(
        &s.addr,
        "/v1/login",
        None,
        &serde_json::json!({"username": username, "password": password}),
    )
}

/// `POST /v1/accounts/{username}/password`.
pub fn change(s: &Server, username: &str, current: &str, new: &str) -> (u16, serde_json::Value) {
    post(
        &s.addr,
        &format!("/v1/accounts/{username}/password"),
        None,
        &serde_json::json!({"current_password": current, "new_password": new}),
    )
}
