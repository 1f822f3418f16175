//! The account rules of the regulation over the store: registration, login (forced changes,
//! re-issue of weak passwords), password changes with history, lockout, activity, the admin
//! actions, the sweep and the leak intake. Every password decision is asked of the policy
//! plug-in, in the ABI's types; this module stores, hashes, mails and audits.

pub mod admin;
pub mod blocklist;
pub mod change;
mod error;
pub mod hashing;
pub mod leaked;
pub mod limits;
pub mod login;
pub mod mailout;
pub mod notes;
pub mod otp;
pub mod radius;
pub mod register;
mod reissue;
pub mod report;
pub mod reset;
pub mod secret;
pub mod status;
pub mod sweep;

pub use error::Error;
pub use hashing::{HashParams, Hasher};
pub use secret::Secret;

use crate::breach::Corpus;
use crate::clock::unix_now;
use crate::mail::Mailer;
use crate::plugin::{CallError, Engine};
use crate::states::Actor;
use crate::storage::Store;
use hmac::{Hmac, Mac};
use matkhau_abi::lifecycle::Question;
use matkhau_abi::{Context, Exposure, Locale, Policy, Verdict};
use prometheus_client::metrics::counter::Counter;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

/// Longest username accepted.
pub const MAX_USERNAME: usize = 64;
/// Longest password accepted, in bytes (the policy's own maximum is checked by the plug-in).
pub const MAX_PASSWORD_BYTES: usize = 4096;

/// Limits that are the host's, not the policy's (see [`limits`]).
#[derive(Clone, Debug)]
pub struct Config {
    /// Failed logins from one client address within `address_window` before it is throttled.
    pub address_max_failures: i64,
    /// The window for `address_max_failures`, in seconds.
    pub address_window: i64,
    /// Password attempts (login, change, registration) per minute from one address; 0: no limit.
    pub address_rate_per_minute: u32,
    /// How many of those may come at once.
    pub address_burst: u32,
    /// Password attempts (login, change) per minute for one login key; 0: no limit.
    pub account_rate_per_minute: u32,
    /// How many of those may come at once.
    pub account_burst: u32,
    /// Seconds a mail delivery may stay claimed before its sender counts as gone (see
    /// [`crate::storage::mailq`]); at least [`mailout::MIN_MAIL_LEASE`].
    pub mail_lease: i64,
    /// Minutes a mailed password-reset code works.
    pub reset_minutes: i64,
    /// Reset codes one account may be sent per hour (more requests are answered alike).
    pub resets_per_hour: i64,
    /// The portal's public address (`https://dichvucong.baohiemxahoi.gov.vn`), for the link in
    /// reset mail; without it the mail carries the code alone.
    pub public_url: Option<String>,
    /// The administrators' address, told when the sweep revokes an account whose term ended.
    pub admin_email: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            address_max_failures: 50,
            address_window: 15 * 60,
            address_rate_per_minute: 60,
            address_burst: 30,
            account_rate_per_minute: 10,
            account_burst: 10,
            mail_lease: 600,
            reset_minutes: 30,
            resets_per_hour: 3,
            public_url: None,
            admin_email: None,
        }
    }
}

/// Who is asking, for throttling and the audit log.
#[derive(Clone, Debug)]
pub struct Client {
    /// Client address (the peer, or the forwarded one when trusted).
    pub address: String,
    /// Who acts.
    pub actor: Actor,
    /// The language of the answer's messages.
    pub locale: Locale,
}

/// Counters the metrics endpoint exports (Prometheus counters, cheap to clone and share).
#[derive(Default, Debug, Clone)]
pub struct Counters {
    /// Mail delivered.
    pub mail_sent: Counter,
    /// Mail deliveries that failed.
    pub mail_failed: Counter,
    /// Notices whose delivery was interrupted (their sender stopped) and not sent again.
    pub mail_interrupted: Counter,
    /// Organisation accounts locked by sweeps.
    pub sweep_locked: Counter,
    /// Expiry warnings queued by sweeps.
    pub sweep_warned: Counter,
    /// Temporary passwords issued.
    pub reissued: Counter,
    /// Password hashes upgraded at login.
    pub rehashed: Counter,
}

/// The account service.
pub struct Service {
    store: Store,
    engine: Arc<Engine>,
    hasher: Hasher,
    mailer: Mailer,
    config: Config,
    counters: Counters,
    /// Wakes the mail dispatcher after a commit that queued mail.
    mail_queued: tokio::sync::Notify,
    /// The failed-login fingerprint MAC, keyed once (cloned per use).
    fingerprint_mac: Hmac<sha2::Sha256>,
    /// The MAC that keys leaked passwords in the blocklist and leak-report entries.
    leak_mac: Hmac<sha2::Sha256>,
    /// Seals queued mail that holds a temporary password.
    sealer: crate::mail::seal::Sealer,
    /// Seals one-time-code secrets in the database.
    otp_sealer: crate::mail::seal::Sealer,
    /// The MAC that keys stored recovery codes.
    recovery_mac: Hmac<sha2::Sha256>,
    /// The breached-password corpus screened at registration, change and login, when configured.
    breach: Option<Arc<Corpus>>,
    /// The blocklist as `/v1/check` sees it (refreshed every 2 s; see [`blocklist`]).
    blocklist: blocklist::Snapshot,
    /// Plug-in reloads since start.
    reloads: AtomicU64,
    /// Attempt limits and their state.
    limits: limits::Limits,
    /// The last health probe of the database: when, and what it found.
    health_probe: std::sync::Mutex<Option<(std::time::Instant, status::DatabaseState)>>,
    /// Held while a health probe runs.
    health_probing: tokio::sync::Mutex<()>,
}

impl Service {
    /// Builds the service with the keys of `secrets` (bound to `store`: see
    /// [`crate::secrets::Secrets::bind`]), so every replica keys alike.
    pub async fn new(
        store: Store,
        engine: Arc<Engine>,
        hasher: Hasher,
        mailer: Mailer,
        config: Config,
        breach: Option<Arc<Corpus>>,
        secrets: &crate::secrets::Secrets,
    ) -> Result<Service, Error> {
        let (key, leak_key) = (&secrets.fingerprint_key, &secrets.blocklist_key);
        let mac = |key: &str| {
            <Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_bytes())
                .map_err(|_| Error::Internal("a MAC key is unusable"))
        };
        Ok(Service {
            store,
            engine,
            hasher,
            mailer,
            counters: Counters::default(),
            mail_queued: tokio::sync::Notify::new(),
            fingerprint_mac: mac(key)?,
            leak_mac: mac(leak_key)?,
            sealer: crate::mail::seal::Sealer::new(&secrets.mail_seal_key()),
            otp_sealer: crate::mail::seal::Sealer::new(&secrets.otp_seal_key()),
            recovery_mac: <Hmac<sha2::Sha256> as Mac>::new_from_slice(&secrets.recovery_key())
                .map_err(|_| Error::Internal("a MAC key is unusable"))?,
            breach,
            blocklist: blocklist::Snapshot::default(),
            reloads: AtomicU64::new(0),
            limits: limits::Limits::new(&config),
            health_probe: std::sync::Mutex::new(None),
            health_probing: tokio::sync::Mutex::new(()),
            config,
        })
    }

    /// The counters `/metrics` exports.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Runs a plug-in call off the async workers (a call is CPU work and may wait for an
    /// instance).
    async fn blocking<T: Send + 'static>(
        &self,
        call: impl FnOnce(&Engine) -> Result<T, CallError> + Send + 'static,
    ) -> Result<T, Error> {
        let engine = self.engine.clone();
        Ok(tokio::task::spawn_blocking(move || call(&engine))
            .await
            .map_err(|_| Error::Internal("the policy call was abandoned"))??)
    }

    /// A lifecycle decision (plugin/ABI.md), as its answer's type.
    pub(crate) async fn decide<Q>(&self, question: Q, now: i64) -> Result<Q::Answer, Error>
    where
        Q: Question<'static> + Send + 'static,
        Q::Answer: Send + 'static,
    {
        self.blocking(move |e| e.decide(question, now)).await
    }

    /// The verdict for `password` with the user's context, screened against the leak blocklist
    /// and the breach corpus (its `breach` check).
    pub async fn evaluate(
        &self,
        password: &Secret,
        context: &Context,
        locale: Locale,
        now: i64,
    ) -> Result<Verdict, Error> {
        let exposure = self.exposure(password).await?;
        let (password, context) = (password.clone(), context.clone());
        self.blocking(move |e| {
            e.evaluate(
                password.expose(),
                Some(&context),
                Some(exposure),
                locale,
                now,
            )
        })
        .await
    }

    /// `POST /v1/check`: the verdict for a candidate, nothing stored. The blocklist is this
    /// replica's snapshot, at most 2 s old, so checks cost no database round trip.
    pub async fn check(
        &self,
        password: &Secret,
        context: Option<Context>,
        locale: Locale,
    ) -> Result<Verdict, Error> {
        if let Some(field) = context.as_ref().and_then(Context::oversized) {
            return Err(context_too_large(field));
        }
        if let Some((field, why)) = context.as_ref().and_then(Context::malformed) {
            return Err(Error::Invalid(format!("{field} {why}")));
        }
        let reported = self
            .blocklist
            .contains(&self.store, &self.leak_key(password))
            .await?;
        let exposure = self.with_corpus(password, reported).await?;
        let password = password.clone();
        self.blocking(move |e| {
            e.evaluate(
                password.expose(),
                context.as_ref(),
                Some(exposure),
                locale,
                unix_now(),
            )
        })
        .await
    }

    /// What the leak blocklist (asked in the database) and the breach corpus know of a password.
    pub async fn exposure(&self, password: &Secret) -> Result<Exposure, Error> {
        let reported = self
            .store
            .password_reported(&self.leak_key(password))
            .await?;
        self.with_corpus(password, reported).await
    }

    async fn with_corpus(&self, password: &Secret, reported: bool) -> Result<Exposure, Error> {
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
                        .map_err(|_| Error::Internal("the breach lookup was abandoned"))?
                } else {
                    false
                }
            }
        };
        Ok(Exposure { breached, reported })
    }

    /// The keyed hash a leaked password is known by (its NFC form, so every spelling matches);
    /// never reversible without the key, which stays in the database's settings.
    pub fn leak_key(&self, password: &Secret) -> String {
        use unicode_normalization::UnicodeNormalization;
        let mut mac = self.leak_mac.clone();
        let nfc = Secret::new(password.expose().nfc().collect());
        mac.update(b"password\0");
        mac.update(nfc.expose().as_bytes());
        hex::encode(mac.finalize().into_bytes())
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
        hex::encode(mac.finalize().into_bytes())
    }

    /// A strong password from the OS's randomness, generated by the policy.
    pub async fn generate(&self, now: i64) -> Result<Secret, Error> {
        let mut entropy = [0u8; 32];
        getrandom::fill(&mut entropy).map_err(|_| Error::Internal("no OS randomness"))?;
        let generated = self.blocking(move |e| e.generate(entropy, now)).await?;
        Ok(Secret::new(generated.password))
    }

    /// The active policy, as the plug-in described it at load (no plug-in call).
    pub fn policy(&self) -> Policy {
        self.engine.plugin().description().policy.clone()
    }

    /// Keyed fingerprint of a wrong password (32 bits): repeats of one typo count once, and the
    /// stored value cannot be reversed into the attempt.
    fn fingerprint(&self, key: &str, password: &Secret) -> String {
        let mut mac = self.fingerprint_mac.clone();
        mac.update(key.as_bytes());
        mac.update(&[0]);
        mac.update(password.expose().as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..4])
    }

    /// The context the plug-in sees for an account: its stored context plus username and e-mail.
    fn context_for(account: &crate::storage::accounts::Account) -> Result<Context, Error> {
        // The error gives the position only: the context holds personal data.
        let mut ctx: Context = serde_json::from_str(&account.context).map_err(|e| {
            crate::storage::StoreError::Corrupt(format!(
                "an account's context (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        ctx.username.get_or_insert_with(|| account.username.clone());
        ctx.email.get_or_insert_with(|| account.email.clone());
        // A long address, or a context stored before the bounds existed, is cut to them (the
        // plug-in refuses more).
        ctx.cut_to_bounds();
        Ok(ctx)
    }
}

/// The refusal of a context past the ABI's bounds.
fn context_too_large(field: &str) -> Error {
    Error::TooLarge(format!(
        "{field}: a context field has at most {} characters and `extra` at most {} entries",
        Context::MAX_FIELD_CHARS,
        Context::MAX_EXTRA
    ))
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

/// What a verdict's failed checks say: the password itself is too weak (any check but
/// `breach`), and it is known to attackers (`breach`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Failed {
    /// A check other than `breach` failed.
    pub(crate) weak: bool,
    /// The `breach` check failed.
    pub(crate) breached: bool,
}

impl Failed {
    pub(crate) fn of(verdict: &Verdict) -> Failed {
        let mut failed = Failed::default();
        for code in verdict.failed_checks() {
            match code {
                "breach" => failed.breached = true,
                _ => failed.weak = true,
            }
        }
        failed
    }
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

/// Checks a username given to look an account up (login, change, admin actions, audit filter)
/// before it reaches the database: not empty, not longer than twice the longest username, and no
/// control character (a NUL cannot even be sent to PostgreSQL). A well-formed name no account
/// has is not refused here: that answer is the route's own.
pub fn check_username_input(u: &str) -> Result<(), Error> {
    if u.is_empty() || u.chars().count() > MAX_USERNAME * 2 || u.chars().any(char::is_control) {
        return Err(Error::Invalid(
            "username: empty, too long, or holding a control character".into(),
        ));
    }
    Ok(())
}

/// Checks a password's size before any work is spent on it.
pub fn check_size(field: &str, p: &Secret) -> Result<(), Error> {
    if p.is_empty() {
        return Err(Error::Invalid(format!("{field} is empty")));
    }
    if p.len() > MAX_PASSWORD_BYTES {
        return Err(Error::TooLarge(format!(
            "{field} is longer than {MAX_PASSWORD_BYTES} bytes"
        )));
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
