//! Outgoing mail with `lettre`: SMTP to a configured server (`--smtp-url`), or by default one
//! `.eml` file per message in an outbox folder. Messages are UTF-8 plain text, in Vietnamese with
//! an English line (`templates`). Every message leaves from the mail queue with a `Message-ID`
//! taken from its queue key, the same on every attempt.

pub mod seal;
pub mod templates;

use crate::code::{Code, Coded};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long one delivery may take before it counts as failed.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(15);

/// A message to send.
#[derive(Clone)]
pub struct Mail {
    /// Recipient address.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

impl std::fmt::Debug for Mail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A body may hold a temporary password.
        f.debug_struct("Mail")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

impl Drop for Mail {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.body);
    }
}

/// A delivery failure; never the message's content.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The recipient is not a mail address.
    #[error("the recipient is not a mail address")]
    Address,
    /// The message could not be built.
    #[error("cannot build the message: {0}")]
    Build(String),
    /// The transport failed (the server refused, the connection broke, the outbox is full).
    #[error("delivery failed: {0}")]
    Send(String),
    /// The delivery ran past [`SEND_TIMEOUT`].
    #[error("delivery timed out")]
    Timeout,
    /// A sealed body does not open with this service's key.
    #[error(transparent)]
    Sealed(#[from] seal::SealError),
}

impl Coded for MailError {
    fn code(&self) -> Code {
        match self {
            MailError::Address => Code::MailAddress,
            MailError::Build(_) => Code::MailBuild,
            MailError::Send(_) => Code::MailSend,
            MailError::Timeout => Code::MailTimeout,
            MailError::Sealed(_) => Code::MailSealed,
        }
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

/// Sends mail through the configured transport.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

/// The `Message-ID` of the message queued as `queue_key` (the same on every attempt, so a
/// receiver that keeps them can drop a repeat): a digest of the key, at the sender's domain.
pub fn message_id(queue_key: &str, from: &str) -> String {
    let domain = from.rsplit_once('@').map_or("matkhau.invalid", |(_, d)| d);
    let digest = crate::digest::sha256_hex(queue_key.as_bytes());
    format!(
        "<{}.matkhau@{}>",
        &digest[..32],
        domain.trim_end_matches('>')
    )
}

impl Mailer {
    /// SMTP when `smtp_url` is given (`smtp://host:port`, `smtp://…?tls=required` for STARTTLS,
    /// `smtps://…`), else `.eml` files in `outbox` (created when missing).
    pub fn new(smtp_url: Option<&str>, outbox: &Path, from: &str) -> Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("--mail-from is not a mail address: {e}"))?;
        let transport = match smtp_url.filter(|u| !u.is_empty()) {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("--smtp-url: {e}"))?
                    .timeout(Some(SEND_TIMEOUT))
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(outbox)
                    .map_err(|e| format!("cannot create the outbox {}: {e}", outbox.display()))?;
                // Its messages hold temporary passwords: the folder is the service user's only.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(outbox, std::fs::Permissions::from_mode(0o700))
                        .map_err(|e| {
                            format!("cannot narrow the outbox {}: {e}", outbox.display())
                        })?;
                }
                Transport::Outbox(outbox.to_path_buf())
            }
        };
        Ok(Mailer { transport, from })
    }

    /// Where mail goes, for the start-up banner (no credentials).
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "SMTP".to_string(),
            Transport::Outbox(dir) => format!("outbox {}", dir.display()),
        }
    }

    /// Checks that `address` is one mail address that mail servers deliver to: no display name
    /// or header tricks, and a local part that is a dot-atom of ASCII characters (RFC 5321 §4.1.2)
    /// of at most 64, so no quoted local part (`"x,y"@b.vn`), which few servers accept.
    pub fn valid_address(address: &str) -> bool {
        let Some((local, _domain)) = address.rsplit_once('@') else {
            return false;
        };
        let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
        address.len() <= 254
            && !address.chars().any(|c| c.is_whitespace() || c.is_control())
            && (1..=64).contains(&local.len())
            && local
                .split('.')
                .all(|atom| !atom.is_empty() && atom.chars().all(atext))
            && address.parse::<lettre::Address>().is_ok()
    }

    /// Sends the message queued as `queue_key`.
    pub async fn send(&self, mail: &Mail, queue_key: &str) -> Result<(), MailError> {
        let to: Mailbox = mail.to.parse().map_err(|_| MailError::Address)?;
        let id = message_id(queue_key, self.from.email.as_ref());
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(id.clone()))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| MailError::Build(e.to_string()))?;
        let sent = match &self.transport {
            Transport::Smtp(t) => deliver(t, message).await,
            Transport::Outbox(dir) => {
                let (dir, name) = (dir.clone(), id[1..33].to_string());
                let bytes = zeroize::Zeroizing::new(message.formatted());
                let write = move || write_outbox(&dir, &name, &bytes).map_err(|e| e.to_string());
                tokio::time::timeout(SEND_TIMEOUT, tokio::task::spawn_blocking(write))
                    .await
                    .map(|joined| joined.unwrap_or_else(|e| Err(e.to_string())))
            }
        };
        match sent {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(MailError::Send(e)),
            Err(_) => Err(MailError::Timeout),
        }
    }
}

/// Writes one message to the outbox as `NAME.eml`, whole or not at all: into a temporary file
/// first (removed when a write fails, e.g. a full disk), synced, then renamed. A second delivery of
/// the same message replaces the first.
fn write_outbox(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let written = (|| {
        let mut f = crate::secrets::private_file(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, dir.join(format!("{name}.eml")))?;
        // The rename itself is durable before the message counts as sent.
        std::fs::File::open(dir)?.sync_all()
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Sends `message` through `transport` within [`SEND_TIMEOUT`]: `Err` on timeout, `Ok(Err)` with
/// the transport's error text.
async fn deliver<T>(
    transport: &T,
    message: Message,
) -> Result<Result<(), String>, tokio::time::error::Elapsed>
where
    T: AsyncTransport + Sync,
    T::Error: std::fmt::Display,
{
    tokio::time::timeout(SEND_TIMEOUT, transport.send(message))
        .await
        .map(|r| r.map(|_| ()).map_err(|e| e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::Mailer;

    #[test]
    fn only_addresses_mail_reaches_are_valid() {
        for ok in [
            "annv@example.vn",
            "an.nv+bhxh@mail.example.vn",
            "o'brien@example.com",
            "01G60_BV@bv.example.vn",
        ] {
            assert!(Mailer::valid_address(ok), "{ok}");
        }
        for bad in [
            "\"x,y\"@b.vn",
            "\"an nv\"@example.vn",
            ".annv@example.vn",
            "an..nv@example.vn",
            "annv.@example.vn",
            "nguyễn@example.vn",
            "An <annv@example.vn>",
            "annv@example.vn\r\nBcc: x@y.vn",
            "annv",
            "@example.vn",
            &format!("{}@example.vn", "a".repeat(65)),
        ] {
            assert!(!Mailer::valid_address(bad), "{bad}");
        }
    }
}
