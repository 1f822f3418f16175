//! The account routes: registration, login, password change, activity.

use super::error::{ApiError, ErrorBody};
use super::input::{json, locale, optional_json};
use super::App;
use crate::accounts::admin::AdminAnswer;
use crate::accounts::change::ChangeAnswer;
use crate::accounts::login::{AccountContext, LoginAnswer};
use crate::accounts::register::{RegisterAnswer, Registration};
use crate::accounts::Secret;
use crate::clock::unix_now;
use crate::code::Coded;
use crate::states::{AccountKind, Actor};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use matkhau_abi::{Context, Locale};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

/// `POST /v1/accounts` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    /// 3–64 characters: letters, digits, `._-@`.
    pub username: String,
    /// Registered e-mail address (temporary passwords and notices go there).
    pub email: String,
    /// Who it is for (`staff`: admin token only).
    pub kind: AccountKind,
    /// What the portal knows of the user, for the personal-data rules: `full_name`,
    /// `date_of_birth` (YYYY-MM-DD), `phone`, `national_id`, `social_insurance_code`,
    /// `org_code`, `extra`.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub context: Option<Context>,
    /// The chosen password; leave out (admin token only) to have one issued by mail.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<Secret>,
    /// `vi` (default) or `en`, for the verdict's messages.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Locale>,
    /// The end of the account's term (admin token only): `YYYY-MM-DD` (the end of that day in
    /// Vietnam) or Unix seconds; from then on it cannot log in and the sweep revokes it.
    #[serde(default)]
    pub valid_until: Option<String>,
}

/// `POST /v1/login` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Username (any case).
    pub username: String,
    /// Password.
    #[schema(value_type = String, format = Password)]
    pub password: Secret,
    /// `vi` (default) or `en`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Locale>,
}

/// `POST /v1/accounts/{username}/password` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeBody {
    /// The password in use (a temporary one for a forced change).
    #[schema(value_type = String, format = Password)]
    pub current_password: Secret,
    /// The new password.
    #[schema(value_type = String, format = Password)]
    pub new_password: Secret,
    /// `vi` (default) or `en`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Locale>,
}

/// `POST /v1/accounts/{username}/activity` body (optional).
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityBody {
    /// The dossier's reference, kept in the audit log.
    #[serde(default)]
    pub reference: Option<String>,
}

/// Registers an account; refused with the verdict when the policy rejects the password.
#[utoipa::path(post, path = "/v1/accounts", request_body = RegisterBody,
    responses(
        (status = 201, body = RegisterAnswer),
        (status = 409, description = "account.exists", body = ErrorBody),
        (status = 422, description = "password.rejected (detail: the verdict), account.invalid_*, request.invalid", body = ErrorBody),
        (status = 403, description = "auth.admin_only", body = ErrorBody),
    ))]
pub(crate) async fn register(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<RegisterAnswer>), ApiError> {
    let body: RegisterBody = json(&body)?;
    let admin = app.admin.allows(&headers);
    let actor = if admin { Actor::Admin } else { Actor::User };
    let client = app.client(peer, &headers, actor, locale(body.locale, &headers));
    let registration = Registration {
        username: body.username,
        email: body.email,
        kind: body.kind,
        context: body.context.unwrap_or_default(),
        password: body.password,
        valid_until: body
            .valid_until
            .as_deref()
            .map(crate::clock::parse_end)
            .transpose()
            .map_err(|e| super::input::InputError::Invalid(format!("valid_until: {e}")))?,
    };
    let answer = app
        .service
        .register(registration, &client, admin, unix_now())
        .await?;
    Ok((StatusCode::CREATED, Json(answer)))
}

/// Logs in: `ok`, or `must_change` with the reasons. Locked (423) and wrong credentials (401)
/// never tell whether the username exists.
#[utoipa::path(post, path = "/v1/login", request_body = LoginBody,
    responses(
        (status = 200, body = LoginAnswer),
        (status = 401, description = "login.failed", body = ErrorBody),
        (status = 403, description = "login.temporary_expired", body = ErrorBody),
        (status = 423, description = "login.locked (detail: reason, until)", body = ErrorBody),
        (status = 429, description = "login.throttled", body = ErrorBody),
    ))]
pub(crate) async fn login(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<LoginAnswer>, ApiError> {
    let body: LoginBody = json(&body)?;
    let client = app.client(peer, &headers, Actor::User, locale(body.locale, &headers));
    let r = app
        .service
        .login(&body.username, &body.password, &client, unix_now())
        .await;
    app.metrics.login(match &r {
        Ok(a) => a.status.as_str(),
        Err(e) => e.code().as_str(),
    });
    Ok(Json(r?))
}

/// Changes a password: policy verdict, no reuse of the current or the last N, no trivial variant,
/// minimum age between voluntary changes; the user is told by e-mail.
#[utoipa::path(post, path = "/v1/accounts/{username}/password", request_body = ChangeBody,
    params(("username" = String, Path, description = "The account")),
    responses(
        (status = 200, body = ChangeAnswer),
        (status = 401, description = "login.failed", body = ErrorBody),
        (status = 409, description = "password.conflict", body = ErrorBody),
        (status = 422, description = "password.rejected (detail: verdict), password.reused, password.similar", body = ErrorBody),
        (status = 423, description = "login.locked", body = ErrorBody),
        (status = 429, description = "password.too_soon, login.throttled", body = ErrorBody),
    ))]
pub(crate) async fn change_password(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ChangeAnswer>, ApiError> {
    let body: ChangeBody = json(&body)?;
    let client = app.client(peer, &headers, Actor::User, locale(body.locale, &headers));
    let r = app
        .service
        .change_password(
            &username,
            &body.current_password,
            &body.new_password,
            &client,
            unix_now(),
        )
        .await;
    app.metrics.change(match &r {
        Ok(_) => "changed",
        Err(e) => e.code().as_str(),
    });
    Ok(Json(r?))
}

/// `POST /v1/accounts/{username}/context` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextBody {
    /// The password in use (or the temporary one mailed).
    #[schema(value_type = String, format = Password)]
    pub password: Secret,
    /// `vi` (default) or `en`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Locale>,
}

/// The account's own data for the personal-data rules, once its password is proven: the change
/// page judges a new password with it, so what the page accepts the host accepts. A wrong
/// password counts toward the lockout like a failed login.
#[utoipa::path(post, path = "/v1/accounts/{username}/context", request_body = ContextBody,
    params(("username" = String, Path, description = "The account")),
    responses(
        (status = 200, body = AccountContext),
        (status = 401, description = "login.failed", body = ErrorBody),
        (status = 403, description = "login.temporary_expired", body = ErrorBody),
        (status = 423, description = "login.locked", body = ErrorBody),
        (status = 429, description = "login.throttled, request.throttled", body = ErrorBody),
    ))]
pub(crate) async fn context(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AccountContext>, ApiError> {
    let body: ContextBody = json(&body)?;
    let client = app.client(peer, &headers, Actor::User, locale(body.locale, &headers));
    Ok(Json(
        app.service
            .account_context(&username, &body.password, &client, unix_now())
            .await?,
    ))
}

/// Records activity (a filed dossier) for an account; the portal's back end calls it with the
/// admin token.
#[utoipa::path(post, path = "/v1/accounts/{username}/activity", request_body = ActivityBody,
    params(("username" = String, Path, description = "The account")),
    security(("admin_token" = [])),
    responses(
        (status = 200, body = AdminAnswer),
        (status = 401, description = "auth.required", body = ErrorBody),
        (status = 404, description = "account.unknown", body = ErrorBody),
    ))]
pub(crate) async fn activity(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AdminAnswer>, ApiError> {
    let body: ActivityBody = optional_json(&body)?;
    let client = app.client(peer, &headers, Actor::Portal, Locale::default());
    let answer = app
        .service
        .record_activity(&username, body.reference.as_deref(), &client, unix_now())
        .await?;
    Ok(Json(answer))
}
