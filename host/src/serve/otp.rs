//! The one-time-code routes: enrolment and its confirmation (after the password), the code step
//! of a login, and the administrator's reset. See [`crate::accounts::otp`].

use super::admin::ActionBody;
use super::error::{ApiError, ErrorBody};
use super::input::{json, locale, optional_json};
use super::App;
use crate::accounts::login::LoginAnswer;
use crate::accounts::otp::{Confirmed, Enrolment, OtpResetAnswer};
use crate::accounts::Secret;
use crate::clock::unix_now;
use crate::code::Coded;
use crate::states::Actor;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use matkhau_abi::Locale;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

/// `POST /v1/accounts/{username}/otp` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolBody {
    /// The account's password.
    #[schema(value_type = String, format = Password)]
    pub password: Secret,
    /// `vi` (default) or `en`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Locale>,
}

/// `POST /v1/accounts/{username}/otp/confirm` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmBody {
    /// The account's password.
    #[schema(value_type = String, format = Password)]
    pub password: Secret,
    /// The 6-digit code the app shows now.
    #[schema(value_type = String, format = Password)]
    pub code: Secret,
    /// `vi` (default) or `en`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Locale>,
}

/// `POST /v1/login/otp` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginOtpBody {
    /// The ticket of the `otp_required` answer.
    #[schema(value_type = String, format = Password)]
    pub ticket: Secret,
    /// The 6-digit code the app shows now, or one of the recovery codes.
    #[schema(value_type = String, format = Password)]
    pub code: Secret,
    /// `vi` (default) or `en`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Locale>,
}

/// Starts enrolling an authenticator app: a new secret, its `otpauth://` URI and QR code (SVG).
/// Active once a first code confirms it. A wrong password counts toward the lockout.
#[utoipa::path(post, path = "/v1/accounts/{username}/otp", request_body = EnrolBody,
    params(("username" = String, Path, description = "The account")),
    responses(
        (status = 201, body = Enrolment),
        (status = 401, description = "login.failed", body = ErrorBody),
        (status = 409, description = "otp.enrolled: an app is enrolled already", body = ErrorBody),
        (status = 423, description = "login.locked", body = ErrorBody),
        (status = 429, description = "login.throttled, request.throttled", body = ErrorBody),
    ))]
pub(crate) async fn enrol(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Enrolment>), ApiError> {
    let body: EnrolBody = json(&body)?;
    let client = app.client(peer, &headers, Actor::User, locale(body.locale, &headers));
    let answer = app
        .service
        .enrol_otp(&username, &body.password, &client, unix_now())
        .await?;
    Ok((StatusCode::CREATED, Json(answer)))
}

/// Confirms the pending enrolment with the app's current code; answers the ten recovery codes,
/// shown this once.
#[utoipa::path(post, path = "/v1/accounts/{username}/otp/confirm", request_body = ConfirmBody,
    params(("username" = String, Path, description = "The account")),
    responses(
        (status = 200, body = Confirmed),
        (status = 400, description = "otp.invalid: the code does not match", body = ErrorBody),
        (status = 401, description = "login.failed", body = ErrorBody),
        (status = 404, description = "otp.not_enrolled: nothing to confirm", body = ErrorBody),
        (status = 409, description = "otp.enrolled", body = ErrorBody),
        (status = 423, description = "login.locked", body = ErrorBody),
        (status = 429, description = "login.throttled, request.throttled", body = ErrorBody),
    ))]
pub(crate) async fn confirm(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Confirmed>, ApiError> {
    let body: ConfirmBody = json(&body)?;
    let client = app.client(peer, &headers, Actor::User, locale(body.locale, &headers));
    Ok(Json(
        app.service
            .confirm_otp(
                &username,
                &body.password,
                body.code.expose(),
                &client,
                unix_now(),
            )
            .await?,
    ))
}

/// The code step of a login that answered `otp_required`: the ticket and the app's code (or a
/// recovery code, used up). Then the same answer as `POST /v1/login` gives without a second
/// factor (`ok` or `must_change`). A wrong code counts toward the account's lockout; a code is
/// accepted once.
#[utoipa::path(post, path = "/v1/login/otp", request_body = LoginOtpBody,
    responses(
        (status = 200, body = LoginAnswer),
        (status = 401, description = "login.otp_failed (wrong or used code), login.ticket_invalid (log in again)", body = ErrorBody),
        (status = 403, description = "login.temporary_expired", body = ErrorBody),
        (status = 423, description = "login.locked (detail: reason, until)", body = ErrorBody),
        (status = 429, description = "login.throttled, request.throttled", body = ErrorBody),
    ))]
pub(crate) async fn login(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<LoginAnswer>, ApiError> {
    let body: LoginOtpBody = json(&body)?;
    let client = app.client(peer, &headers, Actor::User, locale(body.locale, &headers));
    let r = app
        .service
        .login_otp(body.ticket.expose(), &body.code, &client, unix_now())
        .await;
    app.metrics.login(match &r {
        Ok(a) => a.status.as_str(),
        Err(e) => e.code().as_str(),
    });
    Ok(Json(r?))
}

/// Removes an account's authenticator app and recovery codes (a lost phone): the owner enrols
/// again at the next login and is told by mail.
#[utoipa::path(post, path = "/v1/admin/accounts/{username}/otp/reset", request_body = ActionBody,
    params(("username" = String, Path, description = "The account")),
    security(("admin_token" = [])),
    responses(
        (status = 200, body = OtpResetAnswer),
        (status = 401, description = "auth.required", body = ErrorBody),
        (status = 404, description = "account.unknown", body = ErrorBody),
    ))]
pub(crate) async fn reset(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<OtpResetAnswer>, ApiError> {
    let action: ActionBody = optional_json(&body)?;
    let client = app.client(peer, &headers, Actor::Admin, Locale::default());
    Ok(Json(
        app.service
            .reset_otp(&username, action.reason.as_deref(), &client, unix_now())
            .await?,
    ))
}
