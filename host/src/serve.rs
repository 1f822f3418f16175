//! `matkhau serve`: the HTTP API (axum). Every decision is asked of the policy plug-in; the plug-in
//! can be swapped while serving (SIGHUP, or `POST /v1/admin/plugin/reload`), calls in flight
//! finishing on the one they started with.
//!
//! Errors are `{"error": {"code", "message"}}` with a stable code; messages never quote a request.

use crate::cli::PluginArgs;
use crate::plugin::{unix_now, Answer, CallError, Engine, Source};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use clap::Args;
use serde::Deserialize;
use serde_json::json;
use serde_json::value::RawValue;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Largest request body accepted, in bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// Options of `matkhau serve`.
#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MATKHAU_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Bearer token for the admin routes (/v1/admin/...). There is no default: without a token
    /// the admin routes are not served at all.
    #[arg(long, env = "MATKHAU_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Plug-in and policy selection.
    #[command(flatten)]
    pub plugin: PluginArgs,
}

struct App {
    engine: Engine,
    source: Source,
    pin: Option<String>,
    admin_token: Option<String>,
    reloads: AtomicU64,
}

/// An error answer: HTTP status, stable code, message (never quoting the request).
struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}}).to_string();
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}

fn api_error(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
    ApiError {
        status,
        code: code.to_string(),
        message: message.into(),
    }
}

/// A JSON error response.
fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    api_error(status, code, message).into_response()
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn plugin_failure(e: &CallError) -> Response {
    let status = match e.code {
        "plugin.busy" | "plugin.timeout" => StatusCode::SERVICE_UNAVAILABLE,
        "plugin.request_too_large" => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error(status, e.code, e.message.clone())
}

/// Runs a plug-in request off the async workers (a call is CPU work and may wait for an instance).
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|_| {
        api_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the request was abandoned",
        )
    })
}

/// Builds the router (the admin routes only when a token is configured).
fn router(app: Arc<App>) -> Router {
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/v1/policy", get(policy))
        .route("/v1/check", post(check));
    if app.admin_token.is_some() {
        router = router.route("/v1/admin/plugin/reload", post(reload));
    }
    router
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

async fn healthz(State(app): State<Arc<App>>) -> Response {
    let plugin = app.engine.plugin();
    let body = json!({
        "status": "ok",
        "plugin_sha256": plugin.info().sha256,
        "policy_id": plugin.info().policy_id,
        "reloads": app.reloads.load(Ordering::Relaxed),
    });
    json_response(StatusCode::OK, body.to_string())
}

/// `GET /v1/policy`: the active policy (what the browser enforces), with the plug-in's digest.
async fn policy(State(app): State<Arc<App>>) -> Response {
    let worker = app.clone();
    let answer = match blocking(move || worker.engine.describe(unix_now())).await {
        Ok(a) => a,
        Err(r) => return r.into_response(),
    };
    match answer {
        Ok(Answer::Ok(described)) => {
            let Ok(mut out) = serde_json::from_str::<serde_json::Value>(&described) else {
                return error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "plugin.bad_response",
                    "the plug-in's description is not JSON",
                );
            };
            let plugin = app.engine.plugin();
            let info = plugin.info();
            out["plugin"] = json!({
                "sha256": info.sha256,
                "abi_version": info.abi_version,
                "core_version": info.core_version,
            });
            json_response(StatusCode::OK, out.to_string())
        }
        Ok(Answer::Refused(r)) => error(StatusCode::INTERNAL_SERVER_ERROR, &r.code, r.message),
        Err(e) => plugin_failure(&e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckBody {
    password: String,
    #[serde(default)]
    context: Option<Box<RawValue>>,
    #[serde(default)]
    locale: Option<String>,
}

/// Parses a JSON body; the error never quotes it.
fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        api_error(
            StatusCode::BAD_REQUEST,
            "request.utf8",
            "the body is not UTF-8",
        )
    })?;
    serde_json::from_str(text).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => api_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid",
                format!(
                    "unknown field, missing field or wrong type (column {})",
                    e.column()
                ),
            ),
            _ => api_error(
                StatusCode::BAD_REQUEST,
                "request.json",
                "the body is not a JSON object",
            ),
        }
    })
}

/// `POST /v1/check`: a verdict for `{password, context, locale}`; nothing is stored.
async fn check(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let body: CheckBody = match parse(&body) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let locale = body
        .locale
        .clone()
        .or_else(|| accept_language(&headers))
        .unwrap_or_else(|| "vi".to_string());
    let answer = blocking(move || {
        app.engine
            .evaluate(&body.password, body.context.as_deref(), &locale, unix_now())
    })
    .await;
    match answer {
        Err(r) => r.into_response(),
        Ok(Ok(Answer::Ok(verdict))) => json_response(StatusCode::OK, verdict),
        Ok(Ok(Answer::Refused(r))) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &r.code,
            if r.field.is_empty() {
                r.message
            } else {
                format!("{}: {}", r.field, r.message)
            },
        ),
        Ok(Err(e)) => plugin_failure(&e),
    }
}

/// `vi` or `en` from an Accept-Language header (first supported language wins).
fn accept_language(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    value
        .split(',')
        .map(|part| {
            part.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .find_map(|tag| match tag.split(['-', '_']).next() {
            Some("vi") => Some("vi".to_string()),
            Some("en") => Some("en".to_string()),
            _ => None,
        })
}

/// Whether the request carries the admin bearer token (compared in constant time).
fn authorised(app: &App, headers: &HeaderMap) -> bool {
    use subtle::ConstantTimeEq;
    let Some(expected) = &app.admin_token else {
        return false;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ReloadBody {
    /// Pin for the new module (replaces the start-up pin for this reload).
    #[serde(default)]
    sha256: Option<String>,
}

/// `POST /v1/admin/plugin/reload`: re-reads the plug-in (the `--policy-plugin` file, or the
/// embedded one), checks it, and swaps it in.
async fn reload(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorised(&app, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "auth.required",
            "a valid admin bearer token is required",
        );
    }
    let request: ReloadBody = if body.is_empty() {
        ReloadBody::default()
    } else {
        match parse(&body) {
            Ok(b) => b,
            Err(r) => return r.into_response(),
        }
    };
    let outcome = blocking(move || do_reload(&app, request.sha256)).await;
    match outcome {
        Err(r) => r.into_response(),
        Ok(Ok(body)) => json_response(StatusCode::OK, body),
        Ok(Err((code, message))) => error(StatusCode::UNPROCESSABLE_ENTITY, code, message),
    }
}

fn do_reload(app: &App, pin: Option<String>) -> Result<String, (&'static str, String)> {
    let pin = pin.or_else(|| app.pin.clone());
    match app.engine.reload(&app.source, pin) {
        Ok(plugin) => {
            app.reloads.fetch_add(1, Ordering::Relaxed);
            let info = plugin.info();
            eprintln!(
                "matkhau: plug-in reloaded from {} (sha256 {}, policy {})",
                info.source, info.sha256, info.policy_id
            );
            Ok(
                json!({"source": info.source, "sha256": info.sha256, "policy_id": info.policy_id,
                      "policy_digest": info.policy_digest})
                .to_string(),
            )
        }
        Err(e) => {
            eprintln!("matkhau: plug-in reload refused, the active one stays: {e}");
            Err((e.code, e.message))
        }
    }
}

/// Runs the server until SIGINT or SIGTERM.
pub fn run(args: &ServeArgs) -> Result<(), String> {
    let engine = args.plugin.open()?;
    let app = Arc::new(App {
        engine,
        source: args.plugin.source(),
        pin: args.plugin.plugin_sha256.clone(),
        admin_token: args.admin_token.clone().filter(|t| !t.is_empty()),
        reloads: AtomicU64::new(0),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        if app.admin_token.is_none() {
            eprintln!("matkhau: no --admin-token: the admin routes are disabled");
        }
        let info = app.engine.plugin();
        eprintln!(
            "matkhau: policy plug-in {} (sha256 {}, policy {})",
            info.info().source,
            info.info().sha256,
            info.info().policy_id
        );
        // The first line on standard output is the address, for scripts and tests.
        println!("listening on http://{addr}");
        tokio::spawn(reload_on_sighup(app.clone()));
        axum::serve(listener, router(app))
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| format!("server error: {e}"))
    })
}

/// SIGHUP reloads the plug-in (with the start-up pin).
async fn reload_on_sighup(app: Arc<App>) {
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else {
        eprintln!("matkhau: cannot listen for SIGHUP; reload with the admin endpoint");
        return;
    };
    while hangups.recv().await.is_some() {
        let app = app.clone();
        let _ = tokio::task::spawn_blocking(move || do_reload(&app, None)).await;
    }
}

async fn shutdown() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending::<()>().await } } => {},
    }
}
