//! A real SMTP server for the tests (the `mailin` protocol engine behind a TCP listener), and
//! decoding of the messages it or the outbox received.

use mailin::{Handler, Response, SessionBuilder};
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// One message as received: its recipients and raw RFC 5322 bytes.
type Received = (Vec<String>, Vec<u8>);

/// Messages received.
#[derive(Clone, Default)]
pub struct Inbox(Arc<Mutex<Vec<Received>>>);

impl Inbox {
    /// Raw messages so far (recipients, RFC 5322 text).
    pub fn raw(&self) -> Vec<(Vec<String>, String)> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(to, raw)| (to.clone(), String::from_utf8_lossy(raw).to_string()))
            .collect()
    }

    /// Decoded messages so far (recipients, text).
    pub fn messages(&self) -> Vec<(Vec<String>, String)> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(to, raw)| (to.clone(), decode(&String::from_utf8_lossy(raw))))
            .collect()
    }
}

/// What the server does once a message is in, before it answers: nothing, wait, or anything.
type Hook = Arc<dyn Fn() + Send + Sync>;

#[derive(Clone)]
struct Collect {
    inbox: Inbox,
    to: Vec<String>,
    data: Vec<u8>,
    before_reply: Hook,
}

impl Handler for Collect {
    fn rcpt(&mut self, to: &str) -> Response {
        self.to.push(to.to_string());
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let to = std::mem::take(&mut self.to);
        let data = std::mem::take(&mut self.data);
        self.inbox.0.lock().unwrap().push((to, data));
        (self.before_reply)();
        mailin::response::OK
    }
}

/// Starts an SMTP server on loopback; returns its `smtp://` URL and the inbox.
pub fn smtp_server() -> (String, Inbox) {
    smtp_server_with(Arc::new(|| {}))
}

/// An SMTP server that runs `before_reply` after each message is received (kept in the inbox)
/// and before it answers that it took it: a slow server, or one to crash the sender against.
pub fn smtp_server_with(before_reply: Hook) -> (String, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind smtp");
    let addr = listener.local_addr().unwrap();
    let inbox = Inbox::default();
    let shared = inbox.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let inbox = shared.clone();
            let before_reply = before_reply.clone();
            std::thread::spawn(move || {
                let peer: IpAddr = stream
                    .peer_addr()
                    .map(|a| a.ip())
                    .unwrap_or(IpAddr::from([127, 0, 0, 1]));
                let handler = Collect {
                    inbox,
                    to: Vec::new(),
                    data: Vec::new(),
                    before_reply: before_reply.clone(),
                };
                let mut session = SessionBuilder::new("smtp.test").build(peer, handler);
                let mut out = stream.try_clone().expect("clone");
                let mut reader = BufReader::new(stream);
                if session.greeting().write_to(&mut out).is_err() {
                    return;
                }
                let mut line = Vec::new();
                loop {
                    line.clear();
                    match reader.read_until(b'\n', &mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let response = session.process(&line);
                    if response.write_to(&mut out).is_err() {
                        return;
                    }
                    let _ = out.flush();
                    if response.action == mailin::Action::Close {
                        return;
                    }
                }
            });
        }
    });
    (format!("smtp://{addr}"), inbox)
}

/// Headers unfolded and RFC 2047 subjects and a quoted-printable body decoded, for assertions.
pub fn decode(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let head = head.replace("\n ", " ");
    let mut out = String::new();
    for line in head.lines() {
        if let Some(subject) = line.strip_prefix("Subject: ") {
            // Adjacent encoded words join without a space, and may split a character.
            use base64::Engine;
            let mut bytes = Vec::new();
            for word in subject.split(' ') {
                match word
                    .strip_prefix("=?utf-8?b?")
                    .and_then(|w| w.strip_suffix("?="))
                {
                    Some(b64) => bytes.extend(
                        base64::engine::general_purpose::STANDARD
                            .decode(b64)
                            .unwrap_or_default(),
                    ),
                    None => {
                        if !bytes.is_empty() && !bytes.ends_with(b" ") {
                            bytes.push(b' ');
                        }
                        bytes.extend_from_slice(word.as_bytes());
                        bytes.push(b' ');
                    }
                }
            }
            out.push_str("Subject: ");
            out.push_str(String::from_utf8_lossy(&bytes).trim_end());
            out.push('\n');
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
    let body = if head.contains("quoted-printable") {
        let bytes =
            quoted_printable::decode(body, quoted_printable::ParseMode::Robust).unwrap_or_default();
        String::from_utf8_lossy(&bytes).to_string()
    } else {
        body.to_string()
    };
    out.push_str(&body);
    out
}

/// The decoded `.eml` files of an outbox, oldest first.
pub fn read_outbox(dir: &Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files
        .iter()
        .map(|p| decode(&std::fs::read_to_string(p).unwrap_or_default()))
        .collect()
}

/// The temporary password in a decoded message.
pub fn temporary_password(message: &str) -> String {
    message
        .lines()
        .find_map(|l| l.strip_prefix("Mật khẩu tạm thời: "))
        .unwrap_or_else(|| panic!("no temporary password in {message}"))
        .trim()
        .to_string()
}
