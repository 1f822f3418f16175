//! The self-service reset routes ("Quên mật khẩu?"): ask for a code, open it, set the new
//! password. See [`crate::accounts::reset`].

use super::error::{ApiError, ErrorBody};
use super::input::{json, locale};
use super::App;
use crate::accounts::change::ChangeAnswer;
use crate::accounts::reset::{ResetRequested, ResetTarget};
use crate::accounts::Secret;
use crate::clock::unix_now;
use crate::states::Actor;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use matkhau_abi::Locale;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

/// `POST /v1/password-reset` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequestBody {
    /// The username, or the e-mail address the account is registered with.
    pub login: String,
    /// `vi` (default) or `en`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Locale>,
}

/// `POST /v1/password-reset/verify` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetCodeBody {
    /// The code from the mail (dashes, spaces and case do not matter).
    #[schema(value_type = String, format = Password)]
    pub code: Secret,
    /// `vi` (default) or `en`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Locale>,
}

/// `POST /v1/password-reset/complete` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetCompleteBody {
    /// The code from the mail.
    #[schema(value_type = String, format = Password)]
    pub code: Secret,
    /// The new password.
    #[schema(value_type = String, format = Password)]
    pub new_password: Secret,
    /// `vi` (default) or `en`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Locale>,
}

/// Mails a reset code to the registered address of the account named by `login`. The answer
/// is the same whether or not such an account exists (and when its hourly allowance is used).
#[utoipa::path(post, path = "/v1/password-reset", request_body = ResetRequestBody,
    responses(
        (status = 202, body = ResetRequested),
        (status = 422, description = "request.invalid", body = ErrorBody),
        (status = 429, description = "request.throttled", body = ErrorBody),
    ))]
pub(crate) async fn request(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<ResetRequested>), ApiError> {
    let body: ResetRequestBody = json(&body)?;
    let client = app.client(peer, &headers, Actor::User, locale(body.locale, &headers));
    let answer = app
        .service
        .request_reset(&body.login, &client, unix_now())
        .await?;
    Ok((StatusCode::ACCEPTED, Json(answer)))
}

/// The account a reset code is for, with its data for the personal-data rules (the code is
/// not used up).
#[utoipa::path(post, path = "/v1/password-reset/verify", request_body = ResetCodeBody,
    responses(
        (status = 200, body = ResetTarget),
        (status = 400, description = "reset.invalid", body = ErrorBody),
        (status = 423, description = "login.locked (revoked, or locked by an administrator)", body = ErrorBody),
        (status = 429, description = "request.throttled", body = ErrorBody),
    ))]
pub(crate) async fn verify(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ResetTarget>, ApiError> {
    let body: ResetCodeBody = json(&body)?;
    let client = app.client(peer, &headers, Actor::User, locale(body.locale, &headers));
    Ok(Json(
        app.service
            .reset_target(body.code.expose(), &client, unix_now())
            .await?,
    ))
}

/// Sets a new password with a reset code: the full policy with the account's data, no reuse of
/// the current or remembered passwords; the code is used up and the owner told by mail.
#[utoipa::path(post, path = "/v1/password-reset/complete", request_body = ResetCompleteBody,
    responses(
        (status = 200, body = ChangeAnswer),
        (status = 400, description = "reset.invalid", body = ErrorBody),
        (status = 409, description = "password.conflict", body = ErrorBody),
        (status = 422, description = "password.rejected (detail: verdict), password.reused", body = ErrorBody),
        (status = 423, description = "login.locked", body = ErrorBody),
        (status = 429, description = "request.throttled", body = ErrorBody),
    ))]
pub(crate) async fn complete(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ChangeAnswer>, ApiError> {
    let body: ResetCompleteBody = json(&body)?;
    let client = app.client(peer, &headers, Actor::User, locale(body.locale, &headers));
    Ok(Json(
        app.service
            .reset_password(body.code.expose(), &body.new_password, &client, unix_now())
            .await?,
    ))
}
