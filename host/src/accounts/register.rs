//! Registration: a citizen or organisation picks a password the policy accepts; an administrator
//! may create any account, and without a password one is issued by mail (changed at first login).

use super::{check_size, Client, Error, Secret, Service};
use crate::mail::templates::IssueReason;
use crate::mail::Mailer;
use crate::storage::accounts::NewAccount;
use crate::storage::audit::Event;
use serde::Serialize;
use serde_json::{json, Value};

/// A registration request.
pub struct Registration {
    /// Username.
    pub username: String,
    /// Registered e-mail address.
    pub email: String,
    /// `citizen`, `organisation` or `staff`.
    pub kind: String,
    /// The user context (JSON object), for the personal-data rules.
    pub context: Option<Value>,
    /// The chosen password; absent ⇒ issued by mail (administrators only).
    pub password: Option<Secret>,
}

/// The answer to a registration.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegisterAnswer {
    /// `created`.
    pub status: &'static str,
    /// The username.
    pub username: String,
    /// The account kind.
    pub kind: String,
    /// Whether the password was issued by mail (must be changed at the first login).
    pub issued: bool,
    /// The verdict on the chosen password (absent when issued).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub verdict: Option<Value>,
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
        if !super::valid_username(&r.username) {
            return Err(Error::new(
                "account.invalid_username",
                "usernames have 3 to 64 characters: letters, digits, '.', '_', '-', '@'",
            ));
        }
        if !Mailer::valid_address(&r.email) {
            return Err(Error::new(
                "account.invalid_email",
                "email is not a valid mail address",
            ));
        }
        if !["citizen", "organisation", "staff"].contains(&r.kind.as_str()) {
            return Err(Error::new(
                "request.invalid",
                "kind must be citizen, organisation or staff",
            ));
        }
        let context = match &r.context {
            None | Some(Value::Null) => "{}".to_string(),
            Some(v @ Value::Object(_)) => v.to_string(),
            Some(_) => return Err(Error::new("request.invalid", "context must be an object")),
        };
        if context.len() > MAX_CONTEXT {
            return Err(Error::new("request.too_large", "context is too large"));
        }
        if !admin && (r.kind == "staff" || r.password.is_none()) {
            return Err(Error::new(
                "auth.admin_only",
                "staff accounts and issued passwords need the admin token",
            ));
        }
        if let Some(p) = &r.password {
            check_size("password", p)?;
        }
        if self.store.account(&r.username).await?.is_some() {
            return Err(Error::new("account.exists", "that username is taken"));
        }
        let ctx = Self::context_for(&r.username, &r.email, &context);
        // The plug-in validates the context's fields (a bad date of birth is refused here).
        let issued = r.password.is_none();
        let prepared = match issued {
            true => Some(self.prepare_temporary(now).await?),
            false => None,
        };
        let password = match (&r.password, &prepared) {
            (Some(p), _) => p.clone(),
            (None, Some(p)) => p.temporary.clone(),
            (None, None) => return Err(Error::new("internal", "no password")),
        };
        let verdict = self
            .evaluate(&password, &ctx, &client.locale, now)
            .await
            .map_err(|e| match e.code {
                "plugin.refused" => Error::new("request.invalid", e.message),
                _ => e,
            })?;
        if !issued && verdict["accepted"] != Value::Bool(true) {
            return Err(
                Error::new("password.rejected", "the password does not meet the policy")
                    .with_detail(verdict),
            );
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
                    kind: &r.kind,
                    context: &context,
                    password_hash: &hash,
                    password_origin: if issued { "issued" } else { "chosen" },
                    now,
                },
            )
            .await
            .map_err(|e| match e.code {
                "storage.conflict" => Error::new("account.exists", "that username is taken"),
                _ => Error::from(e),
            })?;
        self.store
            .audit(
                &mut tx,
                &Event {
                    actor: client.actor,
                    action: "account.created",
                    username: Some(&r.username),
                    address: Some(&client.address),
                    detail: json!({"kind": r.kind, "issued": issued}),
                    at: now,
                },
            )
            .await?;
        if let Some(p) = &prepared {
            self.mail_temporary(&r.email, &r.username, p, IssueReason::NewAccount)
                .await?;
        }
        tx.commit().await?;
        Ok(RegisterAnswer {
            status: "created",
            username: r.username,
            kind: r.kind,
            issued,
            verdict: (!issued).then_some(verdict),
        })
    }
}
