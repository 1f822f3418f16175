//! Password change: the current password authenticates (failures count toward the lockout), the
//! policy judges the new one, it may not be the current one or a trivial variant of it, nor any
//! of the last N (argon2id against the stored history), and voluntary changes respect the
//! policy's minimum age so the history cannot be cycled through.

use super::login::{failed, temporary_expired_error};
use super::{check_size, Client, Error, Secret, Service};
use crate::mail::templates;
use crate::storage::accounts::PasswordChange;
use crate::storage::audit::Event;
use serde::Serialize;
use serde_json::{json, Value};

/// The answer to a successful change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangeAnswer {
    /// Always `changed`.
    pub status: &'static str,
    /// The account's username.
    pub username: String,
    /// When the new password was set (Unix seconds).
    pub changed_at: i64,
    /// The required changes this one satisfied (`expired`, `temporary`, …), if any.
    pub satisfied: Vec<String>,
    /// The verdict on the new password.
    #[schema(value_type = Object)]
    pub verdict: Value,
}

impl Service {
    /// `POST /v1/accounts/{username}/password`.
    pub async fn change_password(
        &self,
        username: &str,
        current: &Secret,
        new: &Secret,
        client: &Client,
        now: i64,
    ) -> Result<ChangeAnswer, Error> {
        check_size("current_password", current)?;
        check_size("new_password", new)?;
        let account = self.authenticate(username, current, client, now).await?;
        Self::check_status(&account, now)?;
        if self.temporary_expired(&account, now).await? {
            return Err(temporary_expired_error());
        }
        let ctx = Self::context_for(&account.username, &account.email, &account.context);
        let (mut forced, _) = self.forced_reasons(&account, now).await?;
        if account.password_origin == "chosen" {
            let verdict = self.evaluate(current, &ctx, &client.locale, now).await?;
            let (weak, breached) = super::failed_checks(&verdict);
            if weak {
                forced.push("weak".into());
            }
            if breached {
                forced.push("breached".into());
            }
        }
        if forced.is_empty() {
            let d = self
                .decide(
                    json!({"kind": "change_allowed", "last_change": account.password_set_at}),
                    now,
                )
                .await?;
            if d["allowed"] != Value::Bool(true) {
                let wait = d["wait_seconds"].as_i64().unwrap_or(3600);
                return Err(Error::new(
                    "password.too_soon",
                    "the password was changed too recently to change it again",
                )
                .retry_after(wait)
                .with_detail(json!({"wait_seconds": wait})));
            }
        }
        let similarity = self
            .decide(
                json!({"kind": "similar", "previous": current.expose(), "candidate": new.expose()}),
                now,
            )
            .await?;
        match similarity["status"].as_str() {
            Some("same") => {
                return Err(Error::new(
                    "password.reused",
                    "the new password is the current one",
                ))
            }
            Some("variant") => {
                return Err(Error::new(
                    "password.similar",
                    "the new password is a trivial variant of the current one",
                ))
            }
            _ => {}
        }
        let verdict = self.evaluate(new, &ctx, &client.locale, now).await?;
        if verdict["accepted"] != Value::Bool(true) {
            return Err(Error::new(
                "password.rejected",
                "the new password does not meet the policy",
            )
            .with_detail(verdict));
        }
        let keep = self.history_keep(now).await?;
        let history = self.store.history(account.id, keep).await?;
        if self.hasher.matches_any(new, &history).await? {
            return Err(Error::new(
                "password.reused",
                format!("the new password was used before (the last {keep} are remembered)"),
            )
            .with_detail(json!({"history_depth": keep})));
        }
        let hash = self.hasher.hash(new).await?;

        let mut tx = self.store.begin().await?;
        let Some(row) = self.store.account_for_update(&mut tx, username).await? else {
            return Err(failed());
        };
        if row.version != account.version {
            // Another change won the race; its history entry would be missing from our check.
            return Err(Error::new(
                "password.conflict",
                "the password was changed meanwhile; start again",
            ));
        }
        self.store
            .set_password(
                &mut tx,
                &row,
                &PasswordChange {
                    password_hash: &hash,
                    origin: "chosen",
                    now,
                },
                keep,
            )
            .await?;
        self.store
            .reset_failures(&mut tx, &row.username_key, now)
            .await?;
        if row.status == "locked" && row.status_reason.as_deref() == Some("leaked") {
            // The reset a leak report forced is done: the lock it set ends.
            self.store
                .set_status(&mut tx, row.id, "active", None, now)
                .await?;
        }
        self.store
            .audit(
                &mut tx,
                &Event {
                    actor: client.actor,
                    action: "password.changed",
                    username: Some(&row.username),
                    address: Some(&client.address),
                    detail: json!({"satisfied": forced}),
                    at: now,
                },
            )
            .await?;
        let mail = templates::password_changed(&row.email, &row.username, now);
        self.store
            .enqueue_mail(
                &mut tx,
                &format!("changed:{}:{}", row.id, row.version + 1),
                &mail.to,
                &mail.subject,
                &mail.body,
                now,
            )
            .await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(ChangeAnswer {
            status: "changed",
            username: row.username.clone(),
            changed_at: now,
            satisfied: forced,
            verdict,
        })
    }
}
