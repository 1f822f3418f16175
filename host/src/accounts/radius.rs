//! VPN sign-in through RADIUS (the regulation: OTP controls VPN access). FreeRADIUS asks
//! `POST /v1/radius/authenticate` (its own token) with the username and what the user typed in
//! the VPN client's password field: the password with the app's 6-digit code joined after it.
//! Accepted only when the password and the code are right, the account is active (not locked,
//! not revoked), has a confirmed one-time-code app, and needs no change first. Every refusal
//! is the same answer; its reason goes to the log and the audit only.

use super::{check_size, Client, Error, Secret, Service};
use crate::states::Actor;
use crate::storage::audit::{Action, Event};
use serde::Serialize;
use serde_json::json;

/// Digits of the code at the end of the password field.
const CODE_DIGITS: usize = 6;

/// An accepted VPN sign-in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RadiusAccepted {
    /// Always `accept`.
    pub status: &'static str,
    /// The account as registered.
    pub username: String,
}

/// Splits `password` + six digits; `None` when the field does not end with a code.
fn split_code(joined: &str) -> Option<(Secret, Secret)> {
    let cut = joined.len().checked_sub(CODE_DIGITS)?;
    if cut == 0 || !joined.is_char_boundary(cut) {
        return None;
    }
    let (password, code) = joined.split_at(cut);
    code.bytes().all(|b| b.is_ascii_digit()).then(|| {
        (
            Secret::new(password.to_string()),
            Secret::new(code.to_string()),
        )
    })
}

impl Service {
    /// Decides one RADIUS Access-Request. Any refusal is `radius.rejected` (the reason is in
    /// the error, for the log); a wrong password or code counts toward the account's lockout
    /// as at the portal.
    pub async fn radius_authenticate(
        &self,
        username: &str,
        joined: &Secret,
        client: &Client,
        now: i64,
    ) -> Result<RadiusAccepted, Error> {
        check_size("password", joined)?;
        let reject = |why: &'static str| Error::RadiusRejected { why };
        // Unknown users, users without a confirmed app and fields without a code all have the
        // password verified (or the dummy hash), so each costs what a wrong password costs.
        let enrolled = match self.store.account(username).await? {
            Some(a) => self.confirmed_otp(a.id).await?.is_some(),
            None => false,
        };
        let split = if enrolled {
            split_code(joined.expose())
        } else {
            None
        };
        let (password, code) = match split {
            Some((p, c)) => (p, Some(c)),
            None => (joined.clone(), None),
        };
        let account = match self.authenticate(username, &password, client, now).await {
            Ok(a) => a,
            Err(Error::LoginFailed) => return Err(reject("wrong password")),
            Err(Error::Locked { .. }) => return Err(reject("locked")),
            Err(e) => return Err(e),
        };
        if Self::check_status(&account, now).is_err() {
            return Err(reject("locked or revoked"));
        }
        let Some(code) = code else {
            return Err(reject("no one-time-code app enrolled"));
        };
        if self.temporary_expired(&account, now).await? {
            return Err(reject("temporary password expired"));
        }
        let (reasons, _) = self.forced_reasons(&account, now).await?;
        let failed = self.judged(&account, &password, client, now).await?;
        match self.prove_code(&account, &code, None, client, now).await {
            Ok(()) => {}
            Err(Error::OtpFailed) => return Err(reject("wrong or used code")),
            Err(Error::Locked { .. }) => return Err(reject("locked")),
            Err(e) => return Err(e),
        }
        if !reasons.is_empty() || failed.weak || failed.breached {
            // The portal asks for the change first; a VPN cannot.
            return Err(reject("the password must be changed first"));
        }
        let mut tx = self.store.begin().await?;
        self.store
            .record_login(&mut tx, account.id, None, now)
            .await?;
        self.store
            .reset_failures(&mut tx, &account.username_key, now)
            .await?;
        let event = Event {
            actor: Actor::User,
            action: Action::RadiusAccepted,
            username: Some(&account.username),
            address: Some(&client.address),
            detail: json!({}),
            at: now,
        };
        self.store.audit(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(RadiusAccepted {
            status: "accept",
            username: account.username,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::split_code;

    #[test]
    fn the_code_is_the_last_six_digits() {
        let (p, c) = split_code("Mật khẩu#2024123456").unwrap();
        assert_eq!((p.expose(), c.expose()), ("Mật khẩu#2024", "123456"));
        assert!(split_code("123456").is_none());
        assert!(split_code("Matkhau@12345a").is_none());
        assert!(split_code("ab").is_none());
    }
}
