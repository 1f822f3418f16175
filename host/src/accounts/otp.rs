//! One-time codes at login (RFC 6238 TOTP: HMAC-SHA-1, 6 digits, 30-second steps, what every
//! authenticator app reads from an `otpauth://` URI), computed by `totp-rs`.
//!
//! - Enrolment: after its password, an account asks for a secret (160 random bits); the answer
//!   carries the URI and its QR code (SVG). It is pending until a first code confirms it; then
//!   ten single-use recovery codes are shown once and kept as their HMAC.
//! - The secret is sealed (ChaCha20-Poly1305, a key of the secret file, bound to the account and
//!   the enrolment) and never stored or logged in clear.
//! - Login: a right password of an enrolled account answers `otp_required` with a ticket
//!   (single use, 5 minutes); `POST /v1/login/otp` with the ticket and a code finishes the login.
//!   A code is accepted once per step (the last accepted step is kept), with one step of clock
//!   skew either way; a wrong code is a failed login of the account, toward its lockout.
//! - An administrator removes an enrolment (audited, the owner told by mail).

use super::login::{LoginAnswer, LoginStatus};
use super::notes::{Note, NoteCode};
use super::{check_size, Client, Error, Failed, Secret, Service};
use crate::mail::templates;
use crate::states::{AccountKind, Actor, LockReason};
use crate::storage::accounts::Account;
use crate::storage::audit::{Action, Event};
use crate::storage::otp::{NewTicket, OtpSecret};
use hmac::Mac;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};
use zeroize::Zeroizing;

/// Bytes of a new secret (160 bits, RFC 4226's recommended length).
const SECRET_BYTES: usize = 20;
/// Digits of a code.
const DIGITS: usize = 6;
/// Seconds of a time step.
const STEP_SECONDS: i64 = 30;
/// Steps of clock skew accepted either way.
const SKEW: i64 = 1;
/// Recovery codes made at confirmation.
const RECOVERY_CODES: usize = 10;
/// Random bytes of a recovery code (80 bits).
const RECOVERY_BYTES: usize = 10;
/// Its base-32 letters (5 bits each, no padding).
const RECOVERY_LETTERS: usize = RECOVERY_BYTES * 8 / 5;
/// Random bytes of a login ticket.
const TICKET_BYTES: usize = 16;
/// Seconds a login ticket works.
pub const TICKET_SECONDS: i64 = 300;
/// The issuer the authenticator app shows.
const ISSUER: &str = "BHXH";

/// A new enrolment: what the page shows for the app to read. Confirm it with a first code.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Enrolment {
    /// The account.
    pub username: String,
    /// The secret in base 32, for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://totp/…` URI (issuer `BHXH`, SHA-1, 6 digits, 30 s).
    pub otpauth_uri: String,
    /// The URI as a QR code, an SVG document.
    pub qr_svg: String,
    /// Always `SHA1`.
    pub algorithm: &'static str,
    /// Always 6.
    pub digits: u32,
    /// Always 30 (seconds).
    pub period: u32,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Enrolment({}, <secret>)", self.username)
    }
}

/// A confirmed enrolment: the recovery codes, shown this once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Confirmed {
    /// The account.
    pub username: String,
    /// Always `enrolled`.
    pub status: &'static str,
    /// Ten single-use codes that replace a one-time code when the phone is lost.
    pub recovery_codes: Vec<String>,
}

impl std::fmt::Debug for Confirmed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Confirmed({}, <recovery codes>)", self.username)
    }
}

/// The answer to an administrator's OTP reset.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OtpResetAnswer {
    /// The account.
    pub username: String,
    /// Whether it had an enrolment (pending or confirmed) that was removed.
    pub removed: bool,
}

/// What a code or recovery code proved.
enum Proof {
    /// A one-time code of this time step.
    Step(i64),
    /// A recovery code with this stored hash.
    Recovery(String),
}

/// The time step of Unix time `t`.
fn step_of(t: i64) -> i64 {
    t.div_euclid(STEP_SECONDS)
}

/// The six digits of a typed code (spaces ignored), if it is one.
fn typed_code(code: &str) -> Option<String> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// A recovery code as typed, folded (dashes, spaces, case ignored), if it can be one.
fn typed_recovery(code: &str) -> Option<String> {
    if code.len() > 64 {
        return None;
    }
    let folded: String = code
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (folded.len() == RECOVERY_LETTERS
        && base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &folded).is_some())
    .then_some(folded)
}

/// A ticket's stored key.
fn ticket_hash(ticket: &str) -> Option<String> {
    (ticket.len() == TICKET_BYTES * 2 && ticket.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hex::encode(Sha256::digest(ticket.to_ascii_lowercase().as_bytes())))
}

/// `n` random bytes.
fn random(n: usize) -> Result<Zeroizing<Vec<u8>>, Error> {
    let mut bytes = Zeroizing::new(vec![0u8; n]);
    getrandom::fill(&mut bytes).map_err(|_| Error::Internal("no OS randomness"))?;
    Ok(bytes)
}

/// The generator for `secret` and `username` (RFC 6238 with the parameters apps assume).
fn generator(secret: &[u8], username: &str) -> Result<TOTP, Error> {
    TOTP::new(
        Algorithm::SHA1,
        DIGITS,
        0,
        STEP_SECONDS as u64,
        secret.to_vec(),
        Some(ISSUER.to_string()),
        username.to_string(),
    )
    .map_err(|_| Error::Internal("a one-time-code secret is unusable"))
}

/// The step in `now - SKEW ..= now + SKEW` after `after` whose code is `code`, compared in
/// constant time.
fn matching_step(totp: &TOTP, code: &str, now: i64, after: i64) -> Option<i64> {
    let current = step_of(now);
    let mut found = None;
    for step in (current - SKEW)..=(current + SKEW) {
        if step <= after || step < 0 {
            continue;
        }
        let expected = Zeroizing::new(totp.generate((step * STEP_SECONDS) as u64));
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// The otpauth URI as a QR code (SVG).
fn qr_svg(uri: &str) -> Result<String, Error> {
    let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| Error::Internal("the enrolment URI does not fit a QR code"))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

impl Service {
    /// Whether the policy requires one-time codes of `kind`.
    pub fn otp_required(&self, kind: AccountKind) -> bool {
        let kind = match kind {
            AccountKind::Citizen => matkhau_abi::policy::AccountKind::Citizen,
            AccountKind::Organisation => matkhau_abi::policy::AccountKind::Organisation,
            AccountKind::Staff => matkhau_abi::policy::AccountKind::Staff,
        };
        self.policy().otp.required_for.contains(&kind)
    }

    /// The account's confirmed secret, if it has one.
    pub(super) async fn confirmed_otp(&self, account_id: i64) -> Result<Option<OtpSecret>, Error> {
        Ok(self
            .store
            .otp_secret(account_id)
            .await?
            .filter(|s| s.confirmed_at.is_some()))
    }

    /// What a sealed secret is bound to.
    fn otp_label(account_id: i64, created_at: i64) -> String {
        format!("otp\0{account_id}\0{created_at}")
    }

    /// The stored secret of `account`, opened.
    fn open_otp(&self, account: &Account, s: &OtpSecret) -> Result<TOTP, Error> {
        let base32 = self
            .otp_sealer
            .open(&Self::otp_label(account.id, s.created_at), &s.sealed)
            .map_err(|_| {
                crate::storage::StoreError::Corrupt(
                    "a one-time-code secret does not open with this secret file".into(),
                )
            })?;
        let bytes = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &base32)
            .map(Zeroizing::new)
            .ok_or(Error::Internal("a one-time-code secret is not base 32"))?;
        generator(&bytes, &account.username)
    }

    /// The stored key of a recovery code (folded).
    fn recovery_hash(&self, folded: &str) -> String {
        let mut mac = self.recovery_mac.clone();
        mac.update(folded.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// `POST /v1/accounts/{username}/otp`: a new pending enrolment, after the password (a wrong
    /// one counts toward the lockout). Refused (`otp.enrolled`) when one is confirmed.
    pub async fn enrol_otp(
        &self,
        username: &str,
        password: &Secret,
        client: &Client,
        now: i64,
    ) -> Result<Enrolment, Error> {
        check_size("password", password)?;
        let account = self.authenticate(username, password, client, now).await?;
        Self::check_status(&account, now)?;
        let secret = random(SECRET_BYTES)?;
        let totp = generator(&secret, &account.username)?;
        let base32 = Zeroizing::new(totp.get_secret_base32());
        let sealed = self
            .otp_sealer
            .seal(&Self::otp_label(account.id, now), &base32)
            .map_err(|_| Error::Internal("no randomness for a seal"))?;
        let mut tx = self.store.begin().await?;
        if self
            .store
            .account_by_id_for_update(&mut tx, account.id)
            .await?
            .is_none()
        {
            return Err(Error::LoginFailed);
        }
        if !self
            .store
            .begin_otp(&mut tx, account.id, &sealed, now)
            .await?
        {
            return Err(Error::OtpEnrolled);
        }
        tx.commit().await?;
        let uri = totp.get_url();
        Ok(Enrolment {
            qr_svg: qr_svg(&uri)?,
            otpauth_uri: uri,
            secret: base32.to_string(),
            username: account.username,
            algorithm: "SHA1",
            digits: DIGITS as u32,
            period: STEP_SECONDS as u32,
        })
    }

    /// `POST /v1/accounts/{username}/otp/confirm`: the first code makes the pending enrolment
    /// active; the answer holds the recovery codes, shown this once.
    pub async fn confirm_otp(
        &self,
        username: &str,
        password: &Secret,
        code: &str,
        client: &Client,
        now: i64,
    ) -> Result<Confirmed, Error> {
        check_size("password", password)?;
        let account = self.authenticate(username, password, client, now).await?;
        Self::check_status(&account, now)?;
        let pending = match self.store.otp_secret(account.id).await? {
            None => return Err(Error::OtpNotEnrolled),
            Some(s) if s.confirmed_at.is_some() => return Err(Error::OtpEnrolled),
            Some(s) => s,
        };
        let totp = self.open_otp(&account, &pending)?;
        let step = typed_code(code)
            .and_then(|c| matching_step(&totp, &c, now, 0))
            .ok_or(Error::OtpInvalid)?;
        let mut codes = Vec::with_capacity(RECOVERY_CODES);
        let mut hashes = Vec::with_capacity(RECOVERY_CODES);
        for _ in 0..RECOVERY_CODES {
            let bytes = random(RECOVERY_BYTES)?;
            let folded = base32::encode(base32::Alphabet::Rfc4648 { padding: false }, &bytes);
            hashes.push(self.recovery_hash(&folded));
            let shown = folded
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).to_ascii_lowercase())
                .collect::<Vec<_>>()
                .join("-");
            codes.push(shown);
        }
        let mut tx = self.store.begin().await?;
        if !self
            .store
            .confirm_otp(&mut tx, account.id, pending.created_at, step, &hashes, now)
            .await?
        {
            return Err(Error::OtpNotEnrolled);
        }
        let event = Event {
            actor: Actor::User,
            action: Action::OtpEnrolled,
            username: Some(&account.username),
            address: Some(&client.address),
            detail: json!({}),
            at: now,
        };
        self.store.audit(&mut tx, &event).await?;
        let mail = templates::otp_enrolled(&account.email, &account.username, now);
        self.queue_notice(
            &mut tx,
            &format!("otp-enrolled:{}:{now}", account.id),
            &mail,
            now,
        )
        .await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(Confirmed {
            username: account.username,
            status: "enrolled",
            recovery_codes: codes,
        })
    }

    /// The password step of an enrolled account's login: a ticket for the code step, holding
    /// what the password step found.
    pub(super) async fn issue_ticket(
        &self,
        account: &Account,
        failed: Failed,
        rehash: Option<&str>,
        client: &Client,
        now: i64,
    ) -> Result<LoginAnswer, Error> {
        let ticket = hex::encode(&*random(TICKET_BYTES)?);
        let hash = hex::encode(Sha256::digest(ticket.as_bytes()));
        self.store
            .insert_ticket(&NewTicket {
                account_id: account.id,
                ticket_hash: &hash,
                version: account.version,
                weak: failed.weak,
                breached: failed.breached,
                rehash,
                now,
                expires_at: now + TICKET_SECONDS,
            })
            .await?;
        let policy = self.policy();
        Ok(LoginAnswer {
            status: LoginStatus::OtpRequired,
            username: account.username.clone(),
            kind: account.kind,
            reasons: Vec::new(),
            password_expires_in_days: None,
            temporary_password_sent: None,
            messages: vec![Note::new(NoteCode::OtpRequired, client.locale, &policy, 0)],
            context: None,
            mail_to: None,
            ticket: Some(ticket),
            ticket_expires_in: Some(TICKET_SECONDS),
        })
    }

    /// Checks `code` (a one-time code, or a recovery code) for `account` and uses it up in a
    /// transaction of its own, with `ticket` (a login's) when given; a wrong or used one is a
    /// failed login of the account's key.
    pub(super) async fn prove_code(
        &self,
        account: &Account,
        code: &Secret,
        ticket: Option<i64>,
        client: &Client,
        now: i64,
    ) -> Result<(), Error> {
        let key = &account.username_key;
        let secret = self
            .confirmed_otp(account.id)
            .await?
            .ok_or(Error::TicketInvalid)?;
        let totp = self.open_otp(account, &secret)?;
        let proof = match typed_code(code.expose()) {
            Some(c) => matching_step(&totp, &c, now, secret.last_step).map(Proof::Step),
            None => typed_recovery(code.expose()).map(|r| Proof::Recovery(self.recovery_hash(&r))),
        };
        let used = match &proof {
            None => false,
            Some(p) => {
                let mut tx = self.store.begin().await?;
                let used = match p {
                    Proof::Step(step) => {
                        self.store.use_otp_step(&mut tx, account.id, *step).await?
                    }
                    Proof::Recovery(hash) => {
                        self.store
                            .use_recovery(&mut tx, account.id, hash, now)
                            .await?
                    }
                };
                if used && matches!(p, Proof::Recovery(_)) {
                    let left = self.store.recovery_left(&mut tx, account.id).await?;
                    let event = Event {
                        actor: Actor::User,
                        action: Action::OtpRecoveryUsed,
                        username: Some(&account.username),
                        address: Some(&client.address),
                        detail: json!({"left": left}),
                        at: now,
                    };
                    self.store.audit(&mut tx, &event).await?;
                }
                if let (true, Some(id)) = (used, ticket) {
                    if !self.store.use_ticket(&mut tx, id, now).await? {
                        // Used meanwhile by another request: the code is not spent either.
                        return Err(Error::TicketInvalid);
                    }
                }
                tx.commit().await?;
                used
            }
        };
        if used {
            return Ok(());
        }
        // Distinct wrong codes count like distinct wrong passwords (the fingerprint says which).
        let marked = Secret::new(format!("otp\0{}", code.expose()));
        Err(match self.record_failure(key, client, &marked, now).await {
            Ok(Some(until)) => Error::locked(LockReason::Failures, until, now),
            Ok(None) => Error::OtpFailed,
            Err(e) => e,
        })
    }

    /// `POST /v1/login/otp`: the code step of a login. The ticket is used up by a right code;
    /// a wrong code leaves it (until it runs out) and counts toward the account's lockout.
    pub async fn login_otp(
        &self,
        ticket: &str,
        code: &Secret,
        client: &Client,
        now: i64,
    ) -> Result<LoginAnswer, Error> {
        check_size("code", code)?;
        let hash = ticket_hash(ticket).ok_or(Error::TicketInvalid)?;
        let t = self
            .store
            .ticket(&hash)
            .await?
            .ok_or(Error::TicketInvalid)?;
        if t.used_at.is_some() || t.expires_at < now {
            return Err(Error::TicketInvalid);
        }
        let account = self
            .store
            .account_by_id(t.account_id)
            .await?
            .ok_or(Error::TicketInvalid)?;
        let key = account.username_key.clone();
        self.limits.take(&client.address, Some(&key))?;
        let _turn = self.limits.one_at_a_time(&key).await;
        let now = now.max(crate::clock::unix_now());
        if let Some(until) = self.store.throttle(&key).await?.lock(now) {
            return Err(Error::locked(LockReason::Failures, until, now));
        }
        let _reserved = self.reserve_address(&client.address, now).await?;
        if account.version != t.version {
            // The password changed (or the account was re-issued) since the password step.
            return Err(Error::TicketInvalid);
        }
        Self::check_status(&account, now)?;
        self.prove_code(&account, code, Some(t.id), client, now)
            .await?;
        let failed = Failed {
            weak: t.weak,
            breached: t.breached,
        };
        self.finish_login(account, failed, t.rehash, true, client, now)
            .await
    }

    /// `POST /v1/admin/accounts/{username}/otp/reset`: removes the account's enrolment and
    /// recovery codes (the owner enrols again at the next login); audited, the owner told.
    pub async fn reset_otp(
        &self,
        username: &str,
        reason: Option<&str>,
        client: &Client,
        now: i64,
    ) -> Result<OtpResetAnswer, Error> {
        super::admin::reason_ok(reason)?;
        let mut tx = self.store.begin().await?;
        let account = self
            .store
            .account_for_update(&mut tx, username)
            .await?
            .ok_or(Error::Unknown)?;
        let removed = self.store.remove_otp(&mut tx, account.id).await?;
        if removed {
            let event = Event {
                actor: client.actor,
                action: Action::OtpReset,
                username: Some(&account.username),
                address: Some(&client.address),
                detail: json!({"reason": reason}),
                at: now,
            };
            self.store.audit(&mut tx, &event).await?;
            let mail = templates::otp_reset(&account.email, &account.username, now);
            self.queue_notice(
                &mut tx,
                &format!("otp-reset:{}:{now}", account.id),
                &mail,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(OtpResetAnswer {
            username: account.username,
            removed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret and times, the last 6 of the 8 digits given.
    #[test]
    fn rfc_6238_vectors() {
        let totp = generator(b"12345678901234567890", "rfc").unwrap();
        for (t, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(totp.generate(t), eight[2..], "t = {t}");
        }
    }

    #[test]
    fn one_step_of_skew_and_no_step_twice() {
        let totp = generator(b"12345678901234567890", "rfc").unwrap();
        let now = 1_111_111_111;
        let code = totp.generate(now as u64);
        assert_eq!(matching_step(&totp, &code, now, 0), Some(step_of(now)));
        let before = totp.generate((now - 30) as u64);
        assert_eq!(
            matching_step(&totp, &before, now, 0),
            Some(step_of(now) - 1)
        );
        let far = totp.generate((now - 90) as u64);
        assert_eq!(matching_step(&totp, &far, now, 0), None);
        assert_eq!(matching_step(&totp, &code, now, step_of(now)), None);
    }

    #[test]
    fn typed_forms() {
        assert_eq!(typed_code("123 456").as_deref(), Some("123456"));
        assert_eq!(typed_code("12345"), None);
        assert_eq!(typed_code("12345a"), None);
        let r = typed_recovery("abcd-efgh-ijkl-mnop").unwrap();
        assert_eq!(r, "ABCDEFGHIJKLMNOP");
        assert_eq!(typed_recovery("abcd-efgh"), None);
        assert_eq!(typed_recovery("abcd-efgh-ijkl-mno1"), None);
        assert!(ticket_hash("zz").is_none());
    }

    #[test]
    fn qr_is_svg() {
        let totp = generator(&[7; SECRET_BYTES], "nguyenvana").unwrap();
        let uri = totp.get_url();
        assert!(
            uri.starts_with("otpauth://totp/BHXH:nguyenvana?secret="),
            "{uri}"
        );
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.contains("<svg"), "{svg}");
    }
}
