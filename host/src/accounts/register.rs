//! Registration: a citizen or organisation picks a password the policy accepts; an administrator
//! may create any account, and without a password one is issued by mail (changed at first login).

use super::{check_size, Client, Error, Secret, Service};
use crate::mail::templates::IssueReason;
use crate::mail::Mailer;
use crate::states::{AccountKind, PasswordOrigin};
use crate::storage::accounts::NewAccount;
use crate::storage::audit::{Action, Event};
use crate::storage::StoreError;
use matkhau_abi::{Context, Verdict};
use serde::Serialize;
use serde_json::json;

/// A registration request.
pub struct Registration {
    /// Username.
    pub username: String,
    /// Registered e-mail address.
    pub email: String,
    /// Who it is for.
    pub kind: AccountKind,
    /// The user context, for the personal-data rules.
    pub context: Context,
    /// The chosen password; absent ⇒ issued by mail (administrators only).
    pub password: Option<Secret>,
    /// When the account's term ends (administrators only).
    pub valid_until: Option<i64>,
}

/// The answer to a registration.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegisterAnswer {
    /// `created`.
    pub status: &'static str,
    /// The username.
    pub username: String,
    /// Who it is for.
    pub kind: AccountKind,
    /// Whether the password was issued by mail (must be changed at the first login).
    pub issued: bool,
    /// For an issued password: whether its mail went out now (`false`: queued, and sent as
    /// soon as the mail server takes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_sent: Option<bool>,
    /// The verdict on the chosen password (absent when issued).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub verdict: Option<Verdict>,
}

/// Largest context accepted, in bytes of JSON.
const MAX_CONTEXT: usize = 8 * 1024;

impl Service {
    /// `POST /v1/accounts`.
    pub async fn register(
        &self,
        r: Registration,
        client: &Client,
        admin: bool,
        now: i64,
    ) -> Result<RegisterAnswer, Error> {
        // Names found taken count as failures of the address: past its limit, no more (and the
        // attempts under way count, as for logins).
        let _reserved = match admin {
            true => None,
            false => {
                self.limits.take(&client.address, None)?;
                Some(self.reserve_address(&client.address, now).await?)
            }
        };
        if !super::valid_username(&r.username) {
            return Err(Error::InvalidUsername);
        }
        if !Mailer::valid_address(&r.email) {
            return Err(Error::InvalidEmail);
        }
        if let Some(field) = r.context.oversized() {
            return Err(super::context_too_large(field));
        }
        if let Some((field, why)) = r.context.malformed() {
            return Err(Error::Invalid(format!("{field} {why}")));
        }
        let context = serde_json::to_string(&r.context)
            .map_err(|_| Error::Internal("the context cannot be written"))?;
        if context.len() > MAX_CONTEXT {
            return Err(Error::TooLarge("context is too large".into()));
        }
        if !admin
            && (r.kind == AccountKind::Staff || r.password.is_none() || r.valid_until.is_some())
        {
            return Err(Error::AdminOnly);
        }
        if let Some(p) = &r.password {
            check_size("password", p)?;
        }
        let mut ctx = r.context.clone();
        ctx.username.get_or_insert_with(|| r.username.clone());
        ctx.email.get_or_insert_with(|| r.email.clone());
        // The address may be longer than a context field: the engine sees its bounded part.
        ctx.cut_to_bounds();
        let issued = r.password.is_none();
        let prepared = match issued {
            true => Some(self.prepare_temporary(now).await?),
            false => None,
        };
        let password = match (&r.password, &prepared) {
            (Some(p), _) => p.clone(),
            (None, Some(p)) => p.temporary.clone(),
            (None, None) => return Err(Error::Internal("no password")),
        };
        let verdict = self.evaluate(&password, &ctx, client.locale, now).await?;
        if !issued && !verdict.accepted {
            return Err(Error::Rejected {
                message: "the password does not meet the policy",
                verdict: Box::new(verdict),
            });
        }
        // Only a password the policy accepts learns whether the name is taken, and each taken
        // name counts as a failed attempt of the address (probing names costs its budget).
        if self.store.account(&r.username).await?.is_some() {
            if !admin {
                self.store
                    .insert_failure_of_address(&client.address, now)
                    .await?;
            }
            return Err(Error::Exists);
        }
        let hash = match &prepared {
            Some(p) => p.hash.clone(),
            None => self.hasher.hash(&password).await?,
        };

        let mut tx = self.store.begin().await?;
        self.store
            .insert_account(
                &mut tx,
                &NewAccount {
                    username: &r.username,
                    email: &r.email,
                    kind: r.kind,
                    context: &context,
                    password_hash: &hash,
                    password_origin: if issued {
                        PasswordOrigin::Issued
                    } else {
                        PasswordOrigin::Chosen
                    },
                    valid_until: r.valid_until,
                    now,
                },
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => Error::Exists,
                e => Error::from(e),
            })?;
        self.store
            .audit(
                &mut tx,
                &Event {
                    actor: client.actor,
                    action: Action::AccountCreated,
                    username: Some(&r.username),
                    address: Some(&client.address),
                    detail: json!({"kind": r.kind, "issued": issued}),
                    at: now,
                },
            )
            .await?;
        let queued = match &prepared {
            Some(p) => Some(
                self.queue_temporary(
                    &mut tx,
                    &r.email,
                    &r.username,
                    p,
                    IssueReason::NewAccount,
                    now,
                )
                .await?,
            ),
            None => None,
        };
        tx.commit().await?;
        let mail_sent = match queued {
            Some(key) => Some(self.send_temporary(&key, now).await),
            None => None,
        };
        Ok(RegisterAnswer {
            status: "created",
            username: r.username,
            kind: r.kind,
            issued,
            mail_sent,
            verdict: (!issued).then_some(verdict),
        })
    }
}
