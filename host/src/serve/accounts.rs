//! The account routes: registration, login, password change, activity.

use super::{authorised, client, optional_body, parse, reply, ApiError, App};
use crate::accounts::register::Registration;
use crate::accounts::Secret;
use crate::plugin::unix_now;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
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
    /// `citizen`, `organisation` or `staff` (staff: admin token only).
    pub kind: String,
    /// User context (DESIGN.md): full_name, date_of_birth, phone, national_id, …
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub context: Option<serde_json::Value>,
    /// The chosen password; leave out (admin token only) to have one issued by mail.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<Secret>,
    /// `vi` (default) or `en`, for the verdict's messages.
    #[serde(default)]
    pub locale: Option<String>,
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
    pub locale: Option<String>,
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
    pub locale: Option<String>,
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
        (status = 201, body = crate::accounts::register::RegisterAnswer),
        (status = 409, description = "account.exists", body = super::openapi::ErrorBody),
        (status = 422, description = "password.rejected (detail: the verdict), account.invalid_*, request.invalid", body = super::openapi::ErrorBody),
        (status = 403, description = "auth.admin_only", body = super::openapi::ErrorBody),
    ))]
pub(crate) async fn register(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: RegisterBody = parse(&body)?;
    let admin = authorised(&app, &headers);
    let actor = if admin { "admin" } else { "user" };
    let client = client(&app, peer, &headers, actor, body.locale.as_deref())?;
    let registration = Registration {
        username: body.username,
        email: body.email,
        kind: body.kind,
        context: body.context,
        password: body.password,
    };
    let r = app
        .service
        .register(registration, &client, admin, unix_now())
        .await;
    Ok(reply(StatusCode::CREATED, r))
}

/// Logs in: `ok`, or `must_change` with the reasons. Locked (423) and wrong credentials (401)
/// never tell whether the username exists.
#[utoipa::path(post, path = "/v1/login", request_body = LoginBody,
    responses(
        (status = 200, body = crate::accounts::login::LoginAnswer),
        (status = 401, description = "login.failed", body = super::openapi::ErrorBody),
        (status = 403, description = "login.temporary_expired", body = super::openapi::ErrorBody),
        (status = 423, description = "login.locked (detail: reason, until)", body = super::openapi::ErrorBody),
        (status = 429, description = "login.throttled", body = super::openapi::ErrorBody),
    ))]
pub(crate) async fn login(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: LoginBody = parse(&body)?;
    let client = client(&app, peer, &headers, "user", body.locale.as_deref())?;
    let r = app
        .service
        .login(&body.username, &body.password, &client, unix_now())
        .await;
    app.metrics.login(match &r {
        Ok(a) => a.status,
        Err(e) => e.code,
    });
    Ok(reply(StatusCode::OK, r))
}

/// Changes a password: policy verdict, no reuse of the current or the last N, no trivial variant,
/// minimum age between voluntary changes; the user is told by e-mail.
#[utoipa::path(post, path = "/v1/accounts/{username}/password", request_body = ChangeBody,
    params(("username" = String, Path, description = "The account")),
    responses(
        (status = 200, body = crate::accounts::change::ChangeAnswer),
        (status = 401, description = "login.failed", body = super::openapi::ErrorBody),
        (status = 409, description = "password.conflict", body = super::openapi::ErrorBody),
        (status = 422, description = "password.rejected (detail: verdict), password.reused, password.similar", body = super::openapi::ErrorBody),
        (status = 423, description = "login.locked", body = super::openapi::ErrorBody),
        (status = 429, description = "password.too_soon, login.throttled", body = super::openapi::ErrorBody),
    ))]
pub(crate) async fn change_password(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: ChangeBody = parse(&body)?;
    let client = client(&app, peer, &headers, "user", body.locale.as_deref())?;
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
        Err(e) => e.code,
    });
    Ok(reply(StatusCode::OK, r))
}

/// Records activity (a filed dossier) for an account; the portal's back end calls it with the
/// admin token.
#[utoipa::path(post, path = "/v1/accounts/{username}/activity", request_body = ActivityBody,
    params(("username" = String, Path, description = "The account")),
    security(("admin_token" = [])),
    responses(
        (status = 200, body = crate::accounts::admin::AdminAnswer),
        (status = 401, description = "auth.required", body = super::openapi::ErrorBody),
        (status = 404, description = "account.unknown", body = super::openapi::ErrorBody),
    ))]
pub(crate) async fn activity(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: ActivityBody = optional_body(&body)?;
    let client = client(&app, peer, &headers, "portal", None)?;
    let r = app
        .service
        .record_activity(&username, body.reference.as_deref(), &client, unix_now())
        .await;
    Ok(reply(StatusCode::OK, r))
}
