//! The account rules of the regulation over the store: registration, login (forced changes,
//! re-issue of weak passwords), password changes with history, lockout, activity, the admin
//! actions and the sweep. Every password decision is asked of the policy plug-in; this module
//! stores, hashes, mails and audits.

pub mod admin;
pub mod blocklist;
pub mod change;
pub mod hashing;
pub mod leaked;
pub mod login;
pub mod mailout;
pub mod messages;
pub mod register;
mod reissue;
pub mod report;
pub mod secret;
pub mod sweep;

pub use hashing::{HashParams, Hasher};
pub use secret::Secret;

use crate::breach::Corpus;
use crate::mail::Mailer;
use crate::plugin::{Answer, CallError, Engine};
use crate::storage::{Store, StoreError};
use hmac::{Hmac, Mac};
use prometheus_client::metrics::counter::Counter;
use serde_json::{json, Value};
use std::sync::Arc;

/// Longest username accepted.
pub const MAX_USERNAME: usize = 64;
/// Longest password accepted, in bytes (the policy's own maximum is checked by the plug-in).
pub const MAX_PASSWORD_BYTES: usize = 4096;

/// A refused or failed operation: a stable code (the HTTP layer maps it to a status), a message
/// that never quotes a password, and optional details (a verdict, a wait).
#[derive(Debug)]
pub struct Error {
    /// Stable code, e.g. `login.failed`, `password.reused`.
    pub code: &'static str,
    /// Human-readable, English.
    pub message: String,
    /// Structured details for the client.
    pub detail: Option<Value>,
    /// Seconds after which trying again may succeed.
    pub retry_after: Option<i64>,
}

impl Error {
    /// An error without details.
    pub fn new(code: &'static str, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
            detail: None,
            retry_after: None,
        }
    }

    /// Adds details.
    pub fn with_detail(mut self, detail: Value) -> Error {
        self.detail = Some(detail);
        self
    }

    /// Adds a retry hint.
    pub fn retry_after(mut self, seconds: i64) -> Error {
        self.retry_after = Some(seconds.max(1));
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::new(e.code, e.message)
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        StoreError::from(e).into()
    }
}

impl From<hashing::HashError> for Error {
    fn from(e: hashing::HashError) -> Self {
        Error::new(e.0, "password hashing is unavailable")
    }
}

impl From<CallError> for Error {
    fn from(e: CallError) -> Self {
        Error::new(e.code, e.message)
    }
}

/// Limits that are the host's, not the policy's.
#[derive(Clone, Debug)]
pub struct Config {
    /// Failed logins from one client address within `address_window` before it is throttled.
    pub address_max_failures: i64,
    /// The window for `address_max_failures`, in seconds.
    pub address_window: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            address_max_failures: 50,
            address_window: 15 * 60,
        }
    }
}

/// Who is asking, for throttling and the audit log.
#[derive(Clone, Debug)]
pub struct Client {
    /// Client address (the peer, or the forwarded one when trusted).
    pub address: String,
    /// `user` or `admin`.
    pub actor: &'static str,
    /// `vi` or `en`, for messages.
    pub locale: String,
}

/// Counters the metrics endpoint exports (Prometheus counters, cheap to clone and share).
#[derive(Default, Debug, Clone)]
pub struct Counters {
    /// Mail delivered.
    pub mail_sent: Counter,
    /// Mail deliveries that failed.
    pub mail_failed: Counter,
    /// Organisation accounts locked by sweeps.
    pub sweep_locked: Counter,
    /// Expiry warnings queued by sweeps.
    pub sweep_warned: Counter,
    /// Temporary passwords issued.
    pub reissued: Counter,
    /// Password hashes upgraded at login.
    pub rehashed: Counter,
}

/// The policy values the host needs to select work (the decisions themselves stay the plug-in's).
#[derive(Clone, Debug)]
pub struct PolicyView {
    /// Days a password lives.
    pub max_age_days: i64,
    /// Days of warning before expiry.
    pub expiry_warning_days: i64,
    /// Days of inactivity before an organisation account is locked.
    pub org_inactivity_lock_days: i64,
    /// Hours a temporary password lives.
    pub temporary_password_hours: i64,
}

/// The account service.
pub struct Service {
    /// The database.
    pub store: Store,
    /// The policy plug-in.
    pub engine: Arc<Engine>,
    /// The hashing pool.
    pub hasher: Hasher,
    /// Outgoing mail.
    pub mailer: Mailer,
    /// Host limits.
    pub config: Config,
    /// Counters for /metrics.
    pub counters: Counters,
    /// Wakes the mail dispatcher after a commit that queued mail.
    pub mail_queued: tokio::sync::Notify,
    /// The failed-login fingerprint MAC, keyed once (cloned per use).
    fingerprint_mac: Hmac<sha2::Sha256>,
    /// The MAC that keys leaked passwords in the blocklist and leak-report entries.
    leak_mac: Hmac<sha2::Sha256>,
    /// The breached-password corpus screened at registration, change and login, when configured.
    pub breach: Option<Arc<Corpus>>,
    /// The blocklist as `/v1/check` sees it (refreshed every 2 s; see [`blocklist`]).
    pub blocklist: blocklist::Snapshot,
}

impl Service {
    /// Builds the service; the fingerprint key is read from (or created in) the database so every
    /// replica fingerprints alike.
    pub async fn new(
        store: Store,
        engine: Arc<Engine>,
        hasher: Hasher,
        mailer: Mailer,
        config: Config,
    ) -> Result<Service, Error> {
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|_| Error::new("internal", "no OS randomness"))?;
        let key = store
            .setting_or_init("failure_fingerprint_key", crate::plugin::hex(&fresh))
            .await?;
        getrandom::fill(&mut fresh).map_err(|_| Error::new("internal", "no OS randomness"))?;
        let leak_key = store
            .setting_or_init("leak_blocklist_key", crate::plugin::hex(&fresh))
            .await?;
        let mac = |key: &str| {
            <Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_bytes())
                .map_err(|_| Error::new("internal", "a MAC key is unusable"))
        };
        Ok(Service {
            store,
            engine,
            hasher,
            mailer,
            config,
            counters: Counters::default(),
            mail_queued: tokio::sync::Notify::new(),
            fingerprint_mac: mac(&key)?,
            leak_mac: mac(&leak_key)?,
            breach: None,
            blocklist: blocklist::Snapshot::default(),
        })
    }

    /// Runs a plug-in call off the async workers and returns its result.
    async fn ask(
        &self,
        call: impl FnOnce(&Engine) -> Result<Answer, CallError> + Send + 'static,
    ) -> Result<String, Error> {
        let engine = self.engine.clone();
        let answer = tokio::task::spawn_blocking(move || call(&engine))
            .await
            .map_err(|_| Error::new("internal", "the policy call was abandoned"))??;
        match answer {
            Answer::Ok(result) => Ok(result),
            Answer::Refused(r) => Err(Error {
                code: "plugin.refused",
                message: format!("{}: {} ({})", r.code, r.message, r.field),
                detail: None,
                retry_after: None,
            }),
        }
    }

    async fn ask_json(
        &self,
        call: impl FnOnce(&Engine) -> Result<Answer, CallError> + Send + 'static,
    ) -> Result<Value, Error> {
        let text = self.ask(call).await?;
        serde_json::from_str(&text)
            .map_err(|_| Error::new("plugin.bad_response", "the plug-in's answer is not JSON"))
    }

    /// A lifecycle decision (plugin/ABI.md).
    pub async fn decide(&self, decision: Value, now: i64) -> Result<Value, Error> {
        self.ask_json(move |e| e.lifecycle(&decision, now)).await
    }

    /// The verdict for `password` with the user's context, screened against the leak blocklist
    /// and the breach corpus (its `breach` check).
    pub async fn evaluate(
        &self,
        password: &Secret,
        context: &str,
        locale: &str,
        now: i64,
    ) -> Result<Value, Error> {
        let exposure = self.exposure(password).await?;
        let password = password.clone();
        let context = context.to_string();
        let locale = locale.to_string();
        self.ask_json(move |e| {
            let raw = serde_json::value::RawValue::from_string(context).ok();
            e.evaluate_exposed(
                password.expose(),
                raw.as_deref(),
                Some(&exposure),
                &locale,
                now,
            )
        })
        .await
    }

    /// What the leak blocklist and the breach corpus know of a password, as the plug-in's
    /// `exposure` field (ABI.md). The blocklist is asked in the database.
    pub async fn exposure(&self, password: &Secret) -> Result<Value, Error> {
        let reported = self
            .store
            .password_reported(&self.leak_key(password))
            .await?;
        self.with_corpus(password, reported).await
    }

    /// [`Service::exposure`] for advice that stores nothing (`/v1/check`): the blocklist is
    /// this replica's snapshot, at most 2 s old, so checks cost no database round trip.
    pub async fn advisory_exposure(&self, password: &Secret) -> Result<Value, Error> {
        let reported = self
            .blocklist
            .contains(&self.store, &self.leak_key(password))
            .await?;
        self.with_corpus(password, reported).await
    }

    async fn with_corpus(&self, password: &Secret, reported: bool) -> Result<Value, Error> {
        // Hashed once: the filter answers a miss (~0.1 µs) here; only a possible hit reads the
        // file, off the async workers.
        let breached = match &self.breach {
            None => false,
            Some(corpus) => {
                let hashes = crate::breach::password_hashes(password.expose());
                if corpus.may_hold(&hashes) {
                    let corpus = corpus.clone();
                    tokio::task::spawn_blocking(move || breached(&corpus, &hashes))
                        .await
                        .map_err(|_| Error::new("internal", "the breach lookup was abandoned"))?
                } else {
                    false
                }
            }
        };
        Ok(json!({"breached": breached, "reported": reported}))
    }

    /// The keyed hash a leaked password is known by (its NFC form, so every spelling matches);
    /// never reversible without the key, which stays in the database's settings.
    pub fn leak_key(&self, password: &Secret) -> String {
        use unicode_normalization::UnicodeNormalization;
        let mut mac = self.leak_mac.clone();
        let nfc = Secret::new(password.expose().nfc().collect());
        mac.update(b"password\0");
        mac.update(nfc.expose().as_bytes());
        crate::plugin::hex(&mac.finalize().into_bytes())
    }

    /// The keyed hash of one leak-report entry (a username and the password reported with it,
    /// if any): a repeated import finds its entries by it.
    pub fn leak_entry_key(&self, username_key: &str, password: Option<&Secret>) -> String {
        let mut mac = self.leak_mac.clone();
        mac.update(b"entry\0");
        mac.update(username_key.as_bytes());
        if let Some(p) = password {
            mac.update(&[0]);
            mac.update(p.expose().as_bytes());
        }
        crate::plugin::hex(&mac.finalize().into_bytes())
    }

    /// A strong password from the OS's randomness, generated by the policy.
    pub async fn generate(&self, now: i64) -> Result<Secret, Error> {
        let mut entropy = [0u8; 32];
        getrandom::fill(&mut entropy).map_err(|_| Error::new("internal", "no OS randomness"))?;
        let answer = self.ask_json(move |e| e.generate(entropy, now)).await?;
        answer["password"]
            .as_str()
            .map(|p| Secret::new(p.to_string()))
            .ok_or_else(|| Error::new("plugin.bad_response", "no generated password"))
    }

    /// The policy values used to select sweep work and temporary-password validity, from the
    /// active plug-in's description (no plug-in call).
    pub fn policy(&self) -> PolicyView {
        let plugin = self.engine.plugin();
        let p = &plugin.description()["policy"];
        let n = |k: &str| p[k].as_i64().unwrap_or(0);
        PolicyView {
            max_age_days: n("max_age_days"),
            expiry_warning_days: n("expiry_warning_days"),
            org_inactivity_lock_days: n("org_inactivity_lock_days"),
            temporary_password_hours: n("temporary_password_hours"),
        }
    }

    /// Keyed fingerprint of a wrong password (32 bits): repeats of one typo count once, and the
    /// stored value cannot be reversed into the attempt.
    fn fingerprint(&self, key: &str, password: &Secret) -> String {
        let mut mac = self.fingerprint_mac.clone();
        mac.update(key.as_bytes());
        mac.update(&[0]);
        mac.update(password.expose().as_bytes());
        crate::plugin::hex(&mac.finalize().into_bytes()[..4])
    }

    /// The context the plug-in sees for an account: its stored context plus username and e-mail.
    fn context_for(username: &str, email: &str, stored: &str) -> String {
        let mut ctx = match serde_json::from_str::<Value>(stored) {
            Ok(Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        ctx.entry("username").or_insert_with(|| json!(username));
        ctx.entry("email").or_insert_with(|| json!(email));
        Value::Object(ctx).to_string()
    }
}

/// Whether the corpus holds the password. A read error screens nothing (logged; the corpus is
/// defence in depth, and a broken disk must not stop every login).
fn breached(corpus: &Corpus, hashes: &[crate::breach::Sha1Hash]) -> bool {
    match corpus.lookup_any(hashes) {
        Ok(hit) => hit.is_some(),
        Err(e) => {
            eprintln!("matkhau: breach screening skipped: {e}");
            false
        }
    }
}

/// Which failed checks of a verdict are about the password itself (`weak`) and which say it
/// leaked (`breach`): `(weak, breached)`.
pub(crate) fn failed_checks(verdict: &Value) -> (bool, bool) {
    let failed = verdict["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["ok"] == Value::Bool(false))
        .filter_map(|c| c["code"].as_str());
    let (mut weak, mut breached) = (false, false);
    for code in failed {
        match code {
            "breach" => breached = true,
            _ => weak = true,
        }
    }
    (weak, breached)
}

/// Validates a username: 3 to 64 characters, letters, digits and `._-@`, starting with a letter
/// or digit (BHXH codes such as `01G60_BV` included).
pub fn valid_username(u: &str) -> bool {
    let n = u.chars().count();
    (3..=MAX_USERNAME).contains(&n)
        && u.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// Checks a password's size before any work is spent on it.
pub fn check_size(field: &str, p: &Secret) -> Result<(), Error> {
    if p.is_empty() {
        return Err(Error::new("request.invalid", format!("{field} is empty")));
    }
    if p.len() > MAX_PASSWORD_BYTES {
        return Err(Error::new(
            "request.too_large",
            format!("{field} is longer than {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// `a@example.vn` → `a***@example.vn` (what an admin sees of where mail went).
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["01G60_BV", "annv", "a.b-c@d", "0123456789"] {
            assert!(valid_username(ok), "{ok}");
        }
        for bad in ["ab", "_x12", "an nv", "Nguyễn", "a\u{0}b", &"x".repeat(65)] {
            assert!(!valid_username(bad), "{bad}");
        }
        assert_eq!(mask_email("an@example.vn"), "a***@example.vn");
    }
}
