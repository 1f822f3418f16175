//! The admin routes (bearer token): re-issue, lock, unlock, revoke, sweep, audit, leaked-account
//! reports, the abnormal-account report.

use super::error::{ApiError, ErrorBody};
use super::input::{optional_json, InputError};
use super::App;
use crate::accounts::admin::{AdminAnswer, ClearedAnswer, Closing};
use crate::accounts::leaked::{self, Format, Options, Report};
use crate::accounts::report::{Signals, Thresholds};
use crate::accounts::status::{AuditPage, Reloaded};
use crate::accounts::sweep::SweepReport;
use crate::clock::{parse_day, parse_end, unix_now};
use crate::code::Code;
use crate::mail::templates::IssueReason;
use crate::states::Actor;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use matkhau_abi::Locale;
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

macro_rules! account_action {
    ($name:ident, $path:literal, $doc:literal, |$app:ident, $user:ident, $reason:ident, $client:ident, $now:ident| $body:expr) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, request_body = ActionBody,
                            params(("username" = String, Path, description = "The account")),
                            security(("admin_token" = [])),
                            responses(
                                (status = 200, body = AdminAnswer),
                                (status = 401, description = "auth.required", body = ErrorBody),
                                (status = 404, description = "account.unknown", body = ErrorBody),
                                (status = 409, description = "account.revoked", body = ErrorBody),
                            ))]
        pub(crate) async fn $name(
            State($app): State<Arc<App>>,
            ConnectInfo(peer): ConnectInfo<SocketAddr>,
            Path($user): Path<String>,
            headers: HeaderMap,
            body: Bytes,
        ) -> Result<Json<AdminAnswer>, ApiError> {
            let action: ActionBody = optional_json(&body)?;
            let $client = $app.client(peer, &headers, Actor::Admin, Locale::default());
            let $reason = action.reason;
            let $now = unix_now();
            Ok(Json($body.await?))
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
    |app, username, reason, client, now| app.service.close(
        &username,
        Closing::Lock,
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
    |app, username, reason, client, now| app.service.close(
        &username,
        Closing::Revoke,
        reason.as_deref(),
        &client,
        now
    )
);

/// Body of `POST /v1/admin/accounts/{username}/valid-until`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidUntilBody {
    /// The end of the account's term: `YYYY-MM-DD` (the end of that day in Vietnam) or Unix
    /// seconds; `null` removes the end.
    pub valid_until: Option<String>,
    /// A note for the audit log (one line, at most 200 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Sets or removes the end of an account's term (staff who retire, leave or move; a VPN
/// account for a project): from then on it cannot log in (`423 login.locked`, reason `ended`)
/// and the sweep revokes it, telling the owner and `--admin-email`.
#[utoipa::path(post, path = "/v1/admin/accounts/{username}/valid-until", request_body = ValidUntilBody,
    params(("username" = String, Path, description = "The account")),
    security(("admin_token" = [])),
    responses(
        (status = 200, body = AdminAnswer),
        (status = 401, description = "auth.required", body = ErrorBody),
        (status = 404, description = "account.unknown", body = ErrorBody),
        (status = 409, description = "account.revoked", body = ErrorBody),
        (status = 422, description = "request.invalid", body = ErrorBody),
    ))]
pub(crate) async fn valid_until(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AdminAnswer>, ApiError> {
    let body: ValidUntilBody = super::input::json(&body)?;
    let end = body
        .valid_until
        .as_deref()
        .map(parse_end)
        .transpose()
        .map_err(|e| InputError::Invalid(format!("valid_until: {e}")))?;
    let client = app.client(peer, &headers, Actor::Admin, Locale::default());
    Ok(Json(
        app.service
            .set_valid_until(&username, end, body.reason.as_deref(), &client, unix_now())
            .await?,
    ))
}

/// Clears the failed logins of a username, known or not: its lockout ends (an account's own
/// lock, if any, stays: see unlock).
#[utoipa::path(post, path = "/v1/admin/logins/{username}/clear", request_body = ActionBody,
    params(("username" = String, Path, description = "The username, any case")),
    security(("admin_token" = [])),
    responses(
        (status = 200, body = ClearedAnswer),
        (status = 401, description = "auth.required", body = ErrorBody),
        (status = 422, description = "request.invalid", body = ErrorBody),
    ))]
pub(crate) async fn clear_failures(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ClearedAnswer>, ApiError> {
    let action: ActionBody = optional_json(&body)?;
    let client = app.client(peer, &headers, Actor::Admin, Locale::default());
    let note = action.reason.as_deref();
    let answer = app
        .service
        .clear_failures(&username, note, &client, unix_now())
        .await?;
    Ok(Json(answer))
}

/// Runs the sweep now (or reports it with `dry_run`).
#[utoipa::path(post, path = "/v1/admin/sweep", request_body = SweepBody,
    security(("admin_token" = [])),
    responses(
        (status = 200, body = SweepReport),
        (status = 401, description = "auth.required", body = ErrorBody),
        (status = 422, description = "request.invalid", body = ErrorBody),
    ))]
pub(crate) async fn sweep(
    State(app): State<Arc<App>>,
    body: Bytes,
) -> Result<Json<SweepReport>, ApiError> {
    let request: SweepBody = optional_json(&body)?;
    let now = unix_now();
    let as_of = match request.as_of.as_deref() {
        None => now,
        Some(s) => parse_day(s).map_err(|m| InputError::Invalid(format!("as_of: {m}")))?,
    };
    Ok(Json(app.service.sweep(as_of, request.dry_run, now).await?))
}

/// Reads the audit log, oldest first, in pages.
#[utoipa::path(get, path = "/v1/admin/audit", params(AuditQuery),
    security(("admin_token" = [])),
    responses(
        (status = 200, body = AuditPage),
        (status = 401, description = "auth.required", body = ErrorBody),
        (status = 422, description = "request.invalid", body = ErrorBody),
    ))]
pub(crate) async fn audit(
    State(app): State<Arc<App>>,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditPage>, ApiError> {
    let Ok(Query(q)) = query else {
        let why = "query: username, after (integer), limit (1-1000)";
        return Err(InputError::Invalid(why.into()).into());
    };
    let page = app
        .service
        .audit_page(
            q.username.as_deref(),
            q.after.unwrap_or(0),
            q.limit.unwrap_or(100),
        )
        .await?;
    Ok(Json(page))
}

/// Query of `POST /v1/admin/leaked`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LeakedQuery {
    /// Report what would be done; change and send nothing.
    pub dry_run: Option<bool>,
    /// `lines` or `csv` [default: from Content-Type `text/csv`, else guessed].
    pub format: Option<String>,
    /// The report's name (file name, ticket) for the audit log [default: `api`].
    pub source: Option<String>,
    /// `json` (default) or `csv`: the answer's form.
    pub report: Option<String>,
}

/// Takes a leaked-account report (`username` or `username:password` lines, or CSV) as the body:
/// verifies each reported password, resets the accounts (temporary password mailed,
/// `must_change` `leaked`), locks those whose leaked password still worked, blocklists the
/// passwords, and answers each account's outcome. Importing the same report again changes
/// nothing. Reports over 4 MiB go through `matkhau leaked import`.
#[utoipa::path(post, path = "/v1/admin/leaked", params(LeakedQuery),
    request_body(content = String, content_type = "text/plain", description = "The report"),
    security(("admin_token" = [])),
    responses(
        (status = 200, body = Report),
        (status = 401, description = "auth.required", body = ErrorBody),
        (status = 413, description = "request.too_large", body = ErrorBody),
        (status = 422, description = "request.invalid", body = ErrorBody),
    ))]
pub(crate) async fn leaked(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    query: Result<Query<LeakedQuery>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let invalid = |m: &str| InputError::Invalid(m.to_string());
    let Ok(Query(q)) = query else {
        return Err(invalid(
            "query: dry_run (true/false), format (lines/csv), source, report (json/csv)",
        )
        .into());
    };
    let csv_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    let format = match q.format.as_deref() {
        Some(f) => Some(Format::parse(f).ok_or_else(|| invalid("format must be lines or csv"))?),
        None => csv_body.then_some(Format::Csv),
    };
    let as_csv = match q.report.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(invalid("report must be json or csv").into()),
    };
    let client = app.client(peer, &headers, Actor::Admin, Locale::default());
    let options = Options {
        source: q.source.unwrap_or_else(|| "api".to_string()),
        dry_run: q.dry_run.unwrap_or(false),
    };
    let (entries, malformed) = leaked::parse(&body, format);
    let report = app
        .service
        .import_leaks(entries, malformed, &options, &client, unix_now(), &|| {})
        .await?;
    if as_csv {
        let text = report
            .to_csv()
            .map_err(|m| ApiError::new(Code::Internal, m))?;
        let csv = [(header::CONTENT_TYPE, "text/csv; charset=utf-8")];
        return Ok((csv, text).into_response());
    }
    Ok(Json(report).into_response())
}

/// Query of `GET /v1/admin/report`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// Days back from now (default 30).
    pub days: Option<i64>,
    /// Distinct addresses that make failed logins abnormal (default 5).
    pub min_addresses: Option<i64>,
    /// Days after creation an account never logged in to is reported (default 30).
    pub never_used_days: Option<i64>,
}

/// The abnormal-account signals: failed logins from many addresses, logins after a leak report,
/// accounts never used.
#[utoipa::path(get, path = "/v1/admin/report", params(ReportQuery),
    security(("admin_token" = [])),
    responses(
        (status = 200, body = Signals),
        (status = 401, description = "auth.required", body = ErrorBody),
        (status = 422, description = "request.invalid", body = ErrorBody),
    ))]
pub(crate) async fn report(
    State(app): State<Arc<App>>,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Signals>, ApiError> {
    let Ok(Query(q)) = query else {
        let why = "query: days, min_addresses, never_used_days (integers)";
        return Err(InputError::Invalid(why.into()).into());
    };
    let d = Thresholds::default();
    let t = Thresholds {
        days: q.days.unwrap_or(d.days),
        min_addresses: q.min_addresses.unwrap_or(d.min_addresses),
        never_used_days: q.never_used_days.unwrap_or(d.never_used_days),
    };
    Ok(Json(app.service.signals(&t, unix_now()).await?))
}

/// Body of `POST /v1/admin/plugin/reload` (optional).
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReloadBody {
    /// Pin for the new module (replaces the start-up pin for this reload).
    #[serde(default)]
    pub sha256: Option<String>,
}

/// Re-reads the plug-in (the `--policy-plugin` file, or the embedded one), checks it, and swaps
/// it in; calls in flight finish on the old one.
#[utoipa::path(post, path = "/v1/admin/plugin/reload", request_body = ReloadBody,
    security(("admin_token" = [])),
    responses(
        (status = 200, body = Reloaded),
        (status = 401, description = "auth.required", body = ErrorBody),
        (status = 422, description = "plugin.* or policy.invalid: the active plug-in stays", body = ErrorBody),
    ))]
pub(crate) async fn reload(
    State(app): State<Arc<App>>,
    body: Bytes,
) -> Result<Json<Reloaded>, ApiError> {
    let request: ReloadBody = optional_json(&body)?;
    let reloaded = tokio::task::spawn_blocking(move || app.reload(request.sha256))
        .await
        .map_err(|_| ApiError::new(Code::Internal, "the reload was abandoned"))?;
    Ok(Json(reloaded?))
}
