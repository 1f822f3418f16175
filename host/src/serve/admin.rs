//! The admin routes (bearer token): re-issue, lock, unlock, revoke, sweep, audit.

use super::{api_error, authorised, client, json_ok, parse, reply, ApiError, App};
use crate::mail::templates::IssueReason;
use crate::plugin::unix_now;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

/// Body of the account actions (optional).
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// A note for the audit log (one line, at most 200 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Body of `POST /v1/admin/sweep` (optional).
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepBody {
    /// Apply the rules as of this day (YYYY-MM-DD) or Unix time [default: now].
    #[serde(default)]
    pub as_of: Option<String>,
    /// Only report what would be done.
    #[serde(default)]
    pub dry_run: bool,
}

/// Query of `GET /v1/admin/audit`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only this account's entries.
    pub username: Option<String>,
    /// Entries after this id (paging).
    pub after: Option<i64>,
    /// At most this many (1–1000, default 100).
    pub limit: Option<i64>,
}

/// The audit page.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    /// Entries, oldest first.
    pub entries: Vec<crate::storage::audit::AuditEntry>,
    /// Pass as `after` for the next page (absent on the last page).
    pub next: Option<i64>,
}

/// Checks the token and parses an optional body.
fn admin_body<T: Default + for<'de> Deserialize<'de>>(
    app: &App,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<T, ApiError> {
    if !authorised(app, headers) {
        return Err(api_error(
            StatusCode::UNAUTHORIZED,
            "auth.required",
            "a valid admin bearer token is required",
        ));
    }
    if body.is_empty() {
        Ok(T::default())
    } else {
        parse(body)
    }
}

macro_rules! account_action {
    ($name:ident, $path:literal, $doc:literal, |$app:ident, $user:ident, $reason:ident, $client:ident, $now:ident| $body:expr) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, request_body = ActionBody,
            params(("username" = String, Path, description = "The account")),
            security(("admin_token" = [])),
            responses(
                (status = 200, body = crate::accounts::admin::AdminAnswer),
                (status = 401, description = "auth.required", body = super::openapi::ErrorBody),
                (status = 404, description = "account.unknown", body = super::openapi::ErrorBody),
                (status = 409, description = "account.revoked", body = super::openapi::ErrorBody),
                (status = 502, description = "mail.failed (re-issue: nothing changed)", body = super::openapi::ErrorBody),
            ))]
        pub(crate) async fn $name(
            State($app): State<Arc<App>>,
            ConnectInfo(peer): ConnectInfo<SocketAddr>,
            Path($user): Path<String>,
            headers: HeaderMap,
            body: Bytes,
        ) -> Response {
            let action: ActionBody = match admin_body(&$app, &headers, &body) {
                Ok(b) => b,
                Err(e) => return e.into_response(),
            };
            let $client = match client(&$app, peer, &headers, "admin", None) {
                Ok(c) => c,
                Err(e) => return e.into_response(),
            };
            let $reason = action.reason;
            let $now = unix_now();
            reply(StatusCode::OK, $body.await)
        }
    };
}

account_action!(reissue, "/v1/admin/accounts/{username}/reissue",
    "Issues a strong temporary password (the policy's generator), mails it to the registered address; it must be changed at the next login.",
    |app, username, _reason, client, now| app.service.reissue(&username, IssueReason::Admin, &client, now));
account_action!(
    lock,
    "/v1/admin/accounts/{username}/lock",
    "Locks an account until an admin unlocks it.",
    |app, username, reason, client, now| app.service.set_account_status(
        &username,
        "locked",
        reason.as_deref(),
        &client,
        now
    )
);
account_action!(
    unlock,
    "/v1/admin/accounts/{username}/unlock",
    "Unlocks an account (admin, inactivity or failed-login lock).",
    |app, username, reason, client, now| app.service.unlock(
        &username,
        reason.as_deref(),
        &client,
        now
    )
);
account_action!(
    revoke,
    "/v1/admin/accounts/{username}/revoke",
    "Revokes an account for good (staff who left, expired accounts).",
    |app, username, reason, client, now| app.service.set_account_status(
        &username,
        "revoked",
        reason.as_deref(),
        &client,
        now
    )
);

/// Runs the sweep now (or reports it with `dry_run`).
#[utoipa::path(post, path = "/v1/admin/sweep", request_body = SweepBody,
    security(("admin_token" = [])),
    responses(
        (status = 200, body = crate::accounts::sweep::SweepReport),
        (status = 401, description = "auth.required", body = super::openapi::ErrorBody),
    ))]
pub(crate) async fn sweep(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: SweepBody = match admin_body(&app, &headers, &body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let now = unix_now();
    let as_of = match request.as_of.as_deref().map(crate::cli::sweep::parse_as_of) {
        None => now,
        Some(Ok(t)) => t,
        Some(Err(m)) => {
            return api_error(StatusCode::UNPROCESSABLE_ENTITY, "request.invalid", m)
                .into_response()
        }
    };
    reply(
        StatusCode::OK,
        app.service.sweep(as_of, request.dry_run, now).await,
    )
}

/// Reads the audit log, oldest first, in pages.
#[utoipa::path(get, path = "/v1/admin/audit", params(AuditQuery),
    security(("admin_token" = [])),
    responses(
        (status = 200, body = AuditPage),
        (status = 401, description = "auth.required", body = super::openapi::ErrorBody),
    ))]
pub(crate) async fn audit(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if !authorised(&app, &headers) {
        return api_error(
            StatusCode::UNAUTHORIZED,
            "auth.required",
            "a valid admin bearer token is required",
        )
        .into_response();
    }
    let Ok(Query(q)) = query else {
        return api_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid",
            "query: username, after (integer), limit (1-1000)",
        )
        .into_response();
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    match app
        .service
        .store
        .audit_entries(q.username.as_deref(), q.after.unwrap_or(0), limit)
        .await
    {
        Ok(entries) => {
            let next = (entries.len() as i64 == limit)
                .then(|| entries.last().map(|e| e.id))
                .flatten();
            json_ok(StatusCode::OK, &AuditPage { entries, next })
        }
        Err(e) => ApiError::from(crate::accounts::Error::from(e)).into_response(),
    }
}
