//! The routes every page and portal uses without an account: the verdict for a candidate, the
//! policy the browser enforces, and the service's health.

use super::error::{ApiError, ErrorBody};
use super::input::{json, locale};
use super::App;
use crate::accounts::status::{Health, PublishedPolicy};
use crate::accounts::Secret;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use matkhau_abi::{Context, Locale};
use serde::Deserialize;
use std::sync::Arc;

/// `POST /v1/check` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckBody {
    /// The candidate password (nothing is stored).
    #[schema(value_type = String, format = Password)]
    password: Secret,
    /// What the portal knows of the user: `username`, `full_name`, `email`, `phone`,
    /// `date_of_birth` (YYYY-MM-DD), `national_id`, `social_insurance_code`, `org_code`, `extra`.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    context: Option<Context>,
    /// `vi` (default, or from Accept-Language) or `en`; a region is allowed (`vi-VN`).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    locale: Option<Locale>,
}

/// A verdict for `{password, context, locale}`; nothing is stored.
#[utoipa::path(post, path = "/v1/check", request_body = CheckBody,
    responses(
        (status = 200, description = "The verdict (docs/engine.md, \"Verdict JSON\")"),
        (status = 400, description = "request.json, request.utf8", body = ErrorBody),
        (status = 422, description = "request.invalid", body = ErrorBody),
        (status = 503, description = "plugin.busy, plugin.timeout", body = ErrorBody),
    ))]
pub(crate) async fn check(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body: CheckBody = json(&body)?;
    let locale = locale(body.locale, &headers);
    let verdict = app
        .service
        .check(&body.password, body.context, locale)
        .await?;
    Ok(Json(verdict).into_response())
}

/// The active policy (what the browser enforces), with the plug-in's digest.
#[utoipa::path(get, path = "/v1/policy",
    responses((status = 200, body = PublishedPolicy)))]
pub(crate) async fn policy(State(app): State<Arc<App>>) -> Json<PublishedPolicy> {
    Json(app.service.published_policy())
}

/// Health: the database answers and takes a write (probed at most once a second), which
/// plug-in is active.
#[utoipa::path(get, path = "/healthz",
    responses(
        (status = 200, description = "ok", body = Health),
        (status = 503, description = "the database does not answer or does not take writes", body = Health),
    ))]
pub(crate) async fn healthz(State(app): State<Arc<App>>) -> Response {
    health(&app).await
}

/// Readiness, for a load balancer or an orchestrator: the same answer as `/healthz` (503 while
/// the database does not answer or does not take writes: a login could not be recorded).
#[utoipa::path(get, path = "/readyz",
    responses(
        (status = 200, description = "ready", body = Health),
        (status = 503, description = "the database does not answer or does not take writes", body = Health),
    ))]
pub(crate) async fn readyz(State(app): State<Arc<App>>) -> Response {
    health(&app).await
}

async fn health(app: &App) -> Response {
    let health = app.service.health().await;
    let status = match health.ok() {
        true => StatusCode::OK,
        false => StatusCode::SERVICE_UNAVAILABLE,
    };
    (status, Json(health)).into_response()
}
