//! Calls to the host's JSON API (same origin). The host is the authority: every answer, success
//! or error, is shown as the host gave it.

use gloo::net::http::Request;
use serde_json::Value;

/// An answer from the host: its HTTP status and JSON body.
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The body (`{"error": {code, message, detail}}` for errors).
    pub body: Value,
    /// The body as sent.
    pub text: String,
    /// The `Retry-After` header's seconds, when given.
    pub retry: Option<i64>,
}

impl Reply {
    /// Whether the status is 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The error's message, as the host localised it.
    pub fn error_message(&self) -> String {
        self.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Seconds the host asked to wait before trying again.
    pub fn retry_after(&self) -> Option<i64> {
        self.retry
    }

    /// The error's stable code.
    pub fn error_code(&self) -> String {
        self.body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// `GET path`; `None` when the host cannot be reached.
pub async fn get(path: &str) -> Option<Reply> {
    let response = Request::get(path).send().await.ok()?;
    read(response).await
}

/// `POST path` with a JSON body; `None` when the host cannot be reached.
pub async fn post(path: &str, body: &Value) -> Option<Reply> {
    let response = Request::post(path)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .ok()?
        .send()
        .await
        .ok()?;
    read(response).await
}

async fn read(response: gloo::net::http::Response) -> Option<Reply> {
    let status = response.status();
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    let text = response.text().await.ok()?;
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Some(Reply {
        status,
        body,
        text,
        retry,
    })
}

/// A path segment with everything but unreserved characters percent-encoded.
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
