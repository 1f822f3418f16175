//! `matkhau serve`: the HTTP API (axum). Handlers parse the request, call one operation of the
//! account service (`crate::accounts`), and render its answer; they hold no rule and touch no
//! storage. Every route is declared once, in [`api`]: the router and the OpenAPI document both
//! come from that declaration, and every admin route sits in one group behind the token.
//!
//! Errors are `{"error": {"code", "message", "detail"?}}` with a stable code (`crate::code`)
//! and the status `error::status` gives it; messages never quote a request.

mod accounts;
mod admin;
mod auth;
mod breach;
mod check;
pub mod connections;
mod error;
mod input;
mod metrics;
mod openapi;
mod otp;
mod pages;
mod radius;
mod reset;

pub use auth::Gate;
pub use error::{status, ApiError};

use crate::accounts::status::Reloaded;
use crate::accounts::{Client, Service};
use crate::clock::unix_now;
use crate::code::Code;
use crate::plugin::{LoadError, Source};
use crate::states::Actor;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::Router;
use matkhau_abi::Locale;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Largest request body accepted, in bytes (a leak report may be larger, see
/// [`crate::accounts::leaked::MAX_HTTP_REPORT`]).
pub const MAX_BODY: usize = 64 * 1024;

/// How to serve.
#[derive(Clone, Debug)]
pub struct Options {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Bearer token of the admin routes; without one they answer 404.
    pub admin_token: Option<String>,
    /// Bearer token of the portal back end (activity reports; the admin token may too).
    pub portal_token: Option<String>,
    /// Bearer token of the RADIUS server; without one its route answers 404.
    pub radius_token: Option<String>,
    /// Where /metrics is served instead of the API's address.
    pub metrics_listen: Option<SocketAddr>,
    /// Time between sweeps; `None` runs none.
    pub sweep_every: Option<Duration>,
    /// Take the client address from the last `X-Forwarded-For` entry.
    pub trust_forwarded_for: bool,
    /// The portal pages and widget package (`cargo xtask web`).
    pub web_dir: PathBuf,
    /// Where the plug-in is reloaded from.
    pub plugin: Source,
    /// The start-up pin of the plug-in's SHA-256, also applied to reloads.
    pub pin: Option<String>,
    /// How connections are bounded.
    pub connections: connections::Limits,
    /// The longest a request may take, body included (then `408 request.timeout`).
    pub request_timeout: Duration,
}

/// What every handler shares.
pub(crate) struct App {
    service: Arc<Service>,
    admin: Gate,
    portal: Gate,
    radius: Gate,
    trust_forwarded_for: bool,
    source: Source,
    pin: Option<String>,
    metrics: metrics::Metrics,
}

impl App {
    /// Who is calling (see [`input::client`]).
    fn client(
        &self,
        peer: SocketAddr,
        headers: &HeaderMap,
        actor: Actor,
        locale: Locale,
    ) -> Client {
        input::client(peer, headers, self.trust_forwarded_for, actor, locale)
    }

    /// Reloads the plug-in (blocking: it compiles), logging the outcome.
    fn reload(&self, pin: Option<String>) -> Result<Reloaded, LoadError> {
        let pin = pin.or_else(|| self.pin.clone());
        match self.service.reload_plugin(&self.source, pin) {
            Ok(r) => {
                eprintln!(
                    "matkhau: plug-in reloaded from {} (sha256 {}, policy {})",
                    r.source, r.sha256, r.policy_id
                );
                Ok(r)
            }
            Err(e) => {
                eprintln!("matkhau: plug-in reload refused, the active one stays: {e}");
                Err(e)
            }
        }
    }
}

/// Every API route, declared once. `admin` guards the admin group; without an admin token the
/// group is described but not routed, so every method of it is a 404 as for any unknown path.
/// `portal` guards the portal back end's route. `/metrics` is routed here unless it has its own
/// listener (`metrics_here` false).
fn api(admin: &Gate, portal: &Gate, radius: &Gate, metrics_here: bool) -> OpenApiRouter<Arc<App>> {
    // Portals on other origins fetch the policy for the widget.
    let policy = OpenApiRouter::new()
        .routes(routes!(check::policy))
        .layer(header_layer(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"));
    let json_only = || axum::middleware::from_fn(input::json_only);
    let public = OpenApiRouter::new()
        .routes(routes!(check::check))
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::change_password))
        .routes(routes!(accounts::context))
        .routes(routes!(otp::enrol))
        .routes(routes!(otp::confirm))
        .routes(routes!(otp::login))
        .routes(routes!(reset::request))
        .routes(routes!(reset::verify))
        .routes(routes!(reset::complete))
        .route_layer(json_only())
        .routes(routes!(check::healthz))
        .routes(routes!(check::readyz))
        .routes(routes!(breach::range))
        .merge(policy);
    let portal = OpenApiRouter::new()
        .routes(routes!(accounts::activity))
        .route_layer(json_only())
        .route_layer(axum::middleware::from_fn_with_state(
            portal.clone(),
            auth::require,
        ));
    let leaks = OpenApiRouter::new()
        .routes(routes!(admin::leaked))
        .layer(DefaultBodyLimit::max(
            crate::accounts::leaked::MAX_HTTP_REPORT,
        ));
    let admin_group = OpenApiRouter::new()
        .routes(routes!(admin::reload))
        .routes(routes!(admin::reissue))
        .routes(routes!(admin::lock))
        .routes(routes!(admin::unlock))
        .routes(routes!(admin::revoke))
        .routes(routes!(admin::clear_failures))
        .routes(routes!(admin::sweep))
        .routes(routes!(admin::audit))
        .routes(routes!(admin::report))
        .routes(routes!(otp::reset))
        .routes(routes!(admin::valid_until))
        .route_layer(json_only())
        .merge(leaks)
        .route_layer(axum::middleware::from_fn_with_state(
            admin.clone(),
            auth::require,
        ));
    let radius_group = OpenApiRouter::new()
        .routes(routes!(radius::authenticate))
        .route_layer(json_only())
        .route_layer(axum::middleware::from_fn_with_state(
            radius.clone(),
            auth::require,
        ));
    let metrics = OpenApiRouter::new().routes(routes!(metrics::scrape));
    let mut api = OpenApiRouter::with_openapi(openapi::Base::openapi())
        .merge(public)
        .merge(portal);
    for (group, routed) in [
        (admin_group, admin.configured()),
        (radius_group, radius.configured()),
        (metrics, metrics_here),
    ] {
        if routed {
            api = api.merge(group);
        } else {
            api.get_openapi_mut().merge(group.into_openapi());
        }
    }
    api
}

/// The OpenAPI document of every route (the same whatever the tokens).
pub fn document() -> utoipa::openapi::OpenApi {
    let closed = Gate::new(&[]);
    api(&closed, &closed, &closed, true).into_openapi()
}

/// The whole router: the API, `/openapi.json`, the pages, the JSON 404, the body limit, the
/// request timeout and the metrics of every request.
fn router(app: Arc<App>, options: &Options) -> Router {
    let metrics_here = options.metrics_listen.is_none();
    let (api, document) = api(&app.admin, &app.portal, &app.radius, metrics_here).split_for_parts();
    let document = document.to_json().unwrap_or_else(|_| "{}".to_string());
    api.route(
        "/openapi.json",
        axum::routing::get(move || async move {
            (
                [(header::CONTENT_TYPE, "application/json")],
                document.clone(),
            )
        }),
    )
    .merge(pages::routes(&options.web_dir))
    .fallback(|| async { ApiError::new(Code::NotFound, "no such route").into_response() })
    .layer(DefaultBodyLimit::max(MAX_BODY))
    .layer(axum::middleware::from_fn_with_state(
        options.request_timeout,
        timeout,
    ))
    .layer(axum::middleware::from_fn_with_state(
        app.clone(),
        metrics::track,
    ))
    .with_state(app)
}

/// The router of `--metrics-listen`: `/metrics` only.
fn metrics_router(app: Arc<App>) -> Router {
    Router::new()
        .route("/metrics", axum::routing::get(metrics::scrape))
        .fallback(|| async { ApiError::new(Code::NotFound, "no such route").into_response() })
        .with_state(app)
}

/// Middleware: a request that takes longer than the limit (reading its body included) is
/// answered `408 request.timeout`.
async fn timeout(
    axum::extract::State(limit): axum::extract::State<Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(Code::RequestTimeout, "the request took too long").into_response(),
    }
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

/// Serves until SIGINT or SIGTERM: the API and pages (and `/metrics`, on its own address when
/// asked), the mail dispatcher, the periodic sweep, and plug-in reloads on SIGHUP. The first line
/// on standard output is the address.
pub async fn serve(options: Options, service: Arc<Service>) -> Result<(), String> {
    let admin = Gate::new(&[options.admin_token.as_deref()]);
    if !admin.configured() {
        eprintln!("matkhau: no --admin-token: the admin routes are disabled");
    }
    let portal = Gate::new(&[
        options.portal_token.as_deref(),
        options.admin_token.as_deref(),
    ]);
    let app = Arc::new(App {
        metrics: metrics::Metrics::new(&service),
        service: service.clone(),
        admin,
        portal,
        radius: Gate::new(&[options.radius_token.as_deref()]),
        trust_forwarded_for: options.trust_forwarded_for,
        source: options.plugin.clone(),
        pin: options.pin.clone(),
    });
    let listener = connections::bind(options.listen)?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let metrics_listener = match options.metrics_listen {
        Some(a) => Some(connections::bind(a)?),
        None => None,
    };
    eprintln!("matkhau: {}", service.describe());
    // The first line on standard output is the address, for scripts and tests.
    println!("listening on http://{addr}");
    if let Some(l) = &metrics_listener {
        let a = l.local_addr().map_err(|e| e.to_string())?;
        eprintln!("matkhau: metrics on http://{a}/metrics");
    }
    tokio::spawn(reload_on_sighup(app.clone()));
    tokio::spawn(service.clone().run_mail_dispatcher(Duration::from_secs(30)));
    if let Some(every) = options.sweep_every {
        tokio::spawn(sweep_periodically(service.clone(), every));
    }
    tokio::spawn(forget_idle_buckets(service.clone()));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let limits = options.connections;
    let metrics = metrics_listener.map(|l| {
        let router = metrics_router(app.clone());
        tokio::spawn(connections::serve(l, router, limits, stopped.clone()))
    });
    let api = tokio::spawn(connections::serve(
        listener,
        router(app, &options),
        limits,
        stopped,
    ));
    shutdown().await;
    let _ = stop.send(true);
    let _ = api.await;
    if let Some(m) = metrics {
        let _ = m.await;
    }
    Ok(())
}

/// Every minute, the attempt buckets that are full again are forgotten.
async fn forget_idle_buckets(service: Arc<Service>) {
    loop {
        tokio::time::sleep(Duration::from_secs(60)).await;
        service.forget_idle();
    }
}

/// The periodic sweep (replicas may overlap; the sweep is safe to run concurrently).
async fn sweep_periodically(service: Arc<Service>, every: Duration) {
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
        let _ = tokio::task::spawn_blocking(move || app.reload(None)).await;
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
