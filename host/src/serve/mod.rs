//! `matkhau serve`: the HTTP API (axum). Every password decision is asked of the policy plug-in;
//! the plug-in can be swapped while serving (SIGHUP, or `POST /v1/admin/plugin/reload`), calls in
//! flight finishing on the one they started with. Accounts live in the store (`crate::storage`)
//! and their rules in `crate::accounts`.
//!
//! Errors are `{"error": {"code", "message", "detail"?}}` with a stable code; messages never quote
//! a request.

mod accounts;
mod admin;
mod breach;
mod metrics;
mod openapi;
mod pages;

use crate::accounts::{Client, Config, Service};
use crate::cli::service::{HashArgs, ServiceArgs};
use crate::cli::PluginArgs;
use crate::plugin::{unix_now, Answer, CallError, Source};
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
    /// Seconds between sweeps (inactivity locks, expiry warnings); 0 turns the periodic sweep
    /// off (run `matkhau sweep` from cron instead).
    #[arg(long, env = "MATKHAU_SWEEP_INTERVAL", default_value_t = 3600)]
    pub sweep_interval: u64,
    /// Failed logins from one client address per 15 minutes before it is throttled.
    #[arg(long, env = "MATKHAU_ADDRESS_MAX_FAILURES", default_value_t = 50)]
    pub address_max_failures: i64,
    /// Take the client address from the last X-Forwarded-For entry (only behind a proxy or a
    /// portal back end that sets it).
    #[arg(long, env = "MATKHAU_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// The portal pages and widget package built by `cargo xtask web`, served at `/`, `/app/`
    /// and `/widget/`.
    #[arg(long, env = "MATKHAU_WEB_DIR", default_value = env!("MATKHAU_DEFAULT_WEB_DIR"))]
    pub web_dir: std::path::PathBuf,
    /// Database and mail.
    #[command(flatten)]
    pub service: ServiceArgs,
    /// Password hashing.
    #[command(flatten)]
    pub hashing: HashArgs,
    /// Plug-in and policy selection.
    #[command(flatten)]
    pub plugin: PluginArgs,
}

pub(crate) struct App {
    source: Source,
    pin: Option<String>,
    admin_token: Option<String>,
    reloads: AtomicU64,
    service: Arc<Service>,
    metrics: metrics::Metrics,
    trust_forwarded_for: bool,
}

/// An error answer: HTTP status, stable code, message (never quoting the request).
pub(crate) struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
    detail: Option<serde_json::Value>,
    retry_after: Option<i64>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(d) = self.detail {
            error["detail"] = d;
        }
        let body = json!({ "error": error }).to_string();
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
        if let Some(s) = self.retry_after {
            if let Ok(v) = header::HeaderValue::from_str(&s.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

pub(crate) fn api_error(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
    ApiError {
        status,
        code: code.to_string(),
        message: message.into(),
        detail: None,
        retry_after: None,
    }
}

/// The HTTP status for a service error code.
fn status_of(code: &str) -> StatusCode {
    match code {
        "request.json" | "request.utf8" => StatusCode::BAD_REQUEST,
        "request.invalid"
        | "request.missing"
        | "account.invalid_username"
        | "account.invalid_email"
        | "password.rejected"
        | "password.similar"
        | "password.reused" => StatusCode::UNPROCESSABLE_ENTITY,
        "request.too_large" | "plugin.request_too_large" => StatusCode::PAYLOAD_TOO_LARGE,
        "auth.required" | "login.failed" => StatusCode::UNAUTHORIZED,
        "auth.admin_only" | "login.temporary_expired" => StatusCode::FORBIDDEN,
        "account.unknown" => StatusCode::NOT_FOUND,
        "account.exists" | "account.revoked" | "login.conflict" | "password.conflict" => {
            StatusCode::CONFLICT
        }
        "login.locked" => StatusCode::LOCKED,
        "login.throttled" | "password.too_soon" => StatusCode::TOO_MANY_REQUESTS,
        "mail.failed" => StatusCode::BAD_GATEWAY,
        "hash.busy" | "storage.unavailable" | "plugin.busy" | "plugin.timeout" => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<crate::accounts::Error> for ApiError {
    fn from(e: crate::accounts::Error) -> Self {
        let status = status_of(e.code);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            // The message is ours (no request data); the operator needs it.
            eprintln!("matkhau: internal error: {e}");
        }
        ApiError {
            status,
            code: e.code.to_string(),
            message: e.message,
            detail: e.detail,
            retry_after: e.retry_after,
        }
    }
}

/// The service's answer as JSON with `status`, or its error.
pub(crate) fn reply<T: serde::Serialize>(
    status: StatusCode,
    r: Result<T, crate::accounts::Error>,
) -> Response {
    match r {
        Ok(body) => json_ok(status, &body),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// A JSON answer.
pub(crate) fn json_ok<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_string(body) {
        Ok(b) => json_response(status, b),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "cannot encode the answer",
        ),
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
    error(status_of(e.code), e.code, e.message.clone())
}

/// A layer that sets response header `name` to `value`.
pub(crate) fn header_layer(
    name: header::HeaderName,
    value: &'static str,
) -> tower_http::set_header::SetResponseHeaderLayer<header::HeaderValue> {
    tower_http::set_header::SetResponseHeaderLayer::overriding(
        name,
        header::HeaderValue::from_static(value),
    )
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
fn router(app: Arc<App>, web_dir: &std::path::Path) -> Router {
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::scrape))
        .route("/openapi.json", get(openapi::serve))
        // Portals on other origins fetch the policy for the widget.
        .route(
            "/v1/policy",
            get(policy).layer(header_layer(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")),
        )
        .route("/v1/check", post(check))
        .route("/v1/breach/range/{prefix}", get(breach::range))
        .route("/v1/accounts", post(accounts::register))
        .route("/v1/login", post(accounts::login))
        .route(
            "/v1/accounts/{username}/password",
            post(accounts::change_password),
        )
        .merge(
            // The portal back end reports activity with the token.
            Router::new()
                .route("/v1/accounts/{username}/activity", post(accounts::activity))
                .route_layer(axum::middleware::from_fn_with_state(
                    app.clone(),
                    require_token,
                )),
        );
    if app.admin_token.is_some() {
        router = router.merge(
            Router::new()
                .route("/v1/admin/plugin/reload", post(reload))
                .route(
                    "/v1/admin/accounts/{username}/reissue",
                    post(admin::reissue),
                )
                .route("/v1/admin/accounts/{username}/lock", post(admin::lock))
                .route("/v1/admin/accounts/{username}/unlock", post(admin::unlock))
                .route("/v1/admin/accounts/{username}/revoke", post(admin::revoke))
                .route("/v1/admin/sweep", post(admin::sweep))
                .route("/v1/admin/audit", get(admin::audit))
                .route("/v1/admin/report", get(admin::report))
                .route(
                    "/v1/admin/leaked",
                    post(admin::leaked).layer(DefaultBodyLimit::max(
                        crate::accounts::leaked::MAX_HTTP_REPORT,
                    )),
                )
                .route_layer(axum::middleware::from_fn_with_state(
                    app.clone(),
                    require_token,
                )),
        );
    }
    router
        .merge(pages::routes(web_dir))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            metrics::track,
        ))
        .with_state(app)
}

/// Who is calling: the peer address (or the trusted forwarded one), the actor and the locale.
pub(crate) fn client(
    app: &App,
    peer: SocketAddr,
    headers: &HeaderMap,
    actor: &'static str,
    locale: Option<&str>,
) -> Result<Client, ApiError> {
    let address = if app.trust_forwarded_for {
        headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok())
            .unwrap_or(peer.ip())
    } else {
        peer.ip()
    };
    let locale = match locale {
        Some("vi") => "vi".to_string(),
        Some("en") => "en".to_string(),
        None => accept_language(headers).unwrap_or_else(|| "vi".into()),
        Some(_) => {
            return Err(api_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid",
                "locale must be vi or en",
            ))
        }
    };
    Ok(Client {
        address: address.to_string(),
        actor,
        locale,
    })
}

/// Liveness and readiness: the database answers, which plug-in is active.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "ok"), (status = 503, description = "the database is unavailable")))]
pub(crate) async fn healthz(State(app): State<Arc<App>>) -> Response {
    let plugin = app.service.engine.plugin();
    let database = app.service.store.ping().await;
    let body = json!({
        "status": if database { "ok" } else { "degraded" },
        "database": if database { "ok" } else { "unavailable" },
        "plugin_sha256": plugin.info().sha256,
        "policy_id": plugin.info().policy_id,
        "reloads": app.reloads.load(Ordering::Relaxed),
    });
    let status = if database {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    json_response(status, body.to_string())
}

/// The active policy (what the browser enforces), with the plug-in's digest.
#[utoipa::path(get, path = "/v1/policy", responses((status = 200, description = "policy, policy_digest, codes, plugin {sha256, abi_version, core_version}")))]
pub(crate) async fn policy(State(app): State<Arc<App>>) -> Response {
    // One plug-in for both halves, so the policy and the SHA-256 always belong together.
    let plugin = app.service.engine.plugin();
    let info = plugin.info();
    let mut out = plugin.description().clone();
    out["plugin"] = json!({
        "sha256": info.sha256,
        "abi_version": info.abi_version,
        "core_version": info.core_version,
    });
    // Whether pages can screen candidates by k-anonymity ranges (GET /v1/breach/range/…).
    let corpus = app.service.breach.as_deref();
    out["breach"] = json!({
        "corpus": corpus.is_some(),
        "range": corpus.is_some_and(|c| c.has_ranges()),
    });
    json_response(StatusCode::OK, out.to_string())
}

/// `POST /v1/check` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckBody {
    /// The candidate password (nothing is stored).
    #[schema(value_type = String, format = Password)]
    password: String,
    /// User context (DESIGN.md).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    context: Option<Box<RawValue>>,
    /// `vi` (default, or from Accept-Language) or `en`.
    #[serde(default)]
    locale: Option<String>,
}

/// Parses a JSON body; the error never quotes it.
pub(crate) fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ApiError> {
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

/// A verdict for `{password, context, locale}`; nothing is stored.
#[utoipa::path(post, path = "/v1/check", request_body = CheckBody, responses((status = 200, description = "The verdict (DESIGN.md)"), (status = 422, description = "request.invalid", body = openapi::ErrorBody)))]
pub(crate) async fn check(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body: CheckBody = match parse(&body) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let locale = body
        .locale
        .clone()
        .or_else(|| accept_language(&headers))
        .unwrap_or_else(|| "vi".to_string());
    let secret = crate::accounts::Secret::new(body.password.clone());
    let exposure = match app.service.advisory_exposure(&secret).await {
        Ok(e) => e,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let answer = blocking(move || {
        let context = body.context.as_deref();
        let engine = &app.service.engine;
        engine.evaluate_exposed(
            &body.password,
            context,
            Some(&exposure),
            &locale,
            unix_now(),
        )
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
pub(crate) fn accept_language(headers: &HeaderMap) -> Option<String> {
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

/// Middleware: `401 auth.required` unless the request carries the bearer token.
async fn require_token(
    State(app): State<Arc<App>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if authorised(&app, request.headers()) {
        next.run(request).await
    } else {
        error(
            StatusCode::UNAUTHORIZED,
            "auth.required",
            "a valid bearer token is required",
        )
    }
}

/// An optional JSON body: empty means `T::default()`.
pub(crate) fn optional_body<T: Default + for<'de> Deserialize<'de>>(
    body: &Bytes,
) -> Result<T, ApiError> {
    if body.is_empty() {
        Ok(T::default())
    } else {
        parse(body)
    }
}

/// Whether the request carries the admin bearer token (compared in constant time).
pub(crate) fn authorised(app: &App, headers: &HeaderMap) -> bool {
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

/// Re-reads the plug-in (the `--policy-plugin` file, or the embedded one), checks it, and swaps
/// it in; calls in flight finish on the old one.
#[utoipa::path(post, path = "/v1/admin/plugin/reload", security(("admin_token" = [])), responses((status = 200, description = "source, sha256, policy_id, policy_digest"), (status = 401, body = openapi::ErrorBody), (status = 422, description = "plugin.* refusal; the active plug-in stays", body = openapi::ErrorBody)))]
pub(crate) async fn reload(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request: ReloadBody = match optional_body(&body) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
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
    match app.service.engine.reload(&app.source, pin) {
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
    let engine = Arc::new(args.plugin.open()?);
    let hasher = args.hashing.hasher()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let config = Config {
            address_max_failures: args.address_max_failures,
            ..Config::default()
        };
        let service = Arc::new(args.service.open(engine, hasher, config).await?);
        let metrics = metrics::Metrics::new(&service);
        let app = Arc::new(App {
            source: args.plugin.source(),
            pin: args.plugin.plugin_sha256.clone(),
            admin_token: args.admin_token.clone().filter(|t| !t.is_empty()),
            reloads: AtomicU64::new(0),
            service: service.clone(),
            metrics,
            trust_forwarded_for: args.trust_forwarded_for,
        });
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        if app.admin_token.is_none() {
            eprintln!("matkhau: no --admin-token: the admin routes are disabled");
        }
        let info = app.service.engine.plugin();
        eprintln!(
            "matkhau: policy plug-in {} (sha256 {}, policy {}); database {:?}; mail to {}",
            info.info().source,
            info.info().sha256,
            info.info().policy_id,
            service.store.dialect(),
            service.mailer.describe(),
        );
        // The first line on standard output is the address, for scripts and tests.
        println!("listening on http://{addr}");
        tokio::spawn(reload_on_sighup(app.clone()));
        tokio::spawn(
            service
                .clone()
                .run_mail_dispatcher(std::time::Duration::from_secs(30)),
        );
        if args.sweep_interval > 0 {
            tokio::spawn(sweep_periodically(
                service.clone(),
                std::time::Duration::from_secs(args.sweep_interval),
            ));
        }
        axum::serve(
            listener,
            router(app, &args.web_dir).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("server error: {e}"))
    })
}

/// The periodic sweep (replicas may overlap; the sweep is safe to run concurrently).
async fn sweep_periodically(service: Arc<Service>, every: std::time::Duration) {
    loop {
        tokio::time::sleep(every).await;
        let now = unix_now();
        match service.sweep(now, false, now).await {
            Ok(r) if !r.locked.is_empty() || !r.warned.is_empty() => eprintln!(
                "matkhau: sweep locked {} and warned {} accounts",
                r.locked.len(),
                r.warned.len()
            ),
            Ok(_) => {}
            Err(e) => eprintln!("matkhau: sweep failed: {e}"),
        }
    }
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
