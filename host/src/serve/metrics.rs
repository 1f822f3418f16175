//! `GET /metrics`: Prometheus text exposition (prometheus-client). Request counts and latencies
//! per route template (never a username or a password), login and change outcomes by code, mail,
//! sweeps, the hashing queue and the plug-in's instances.

use super::App;
use crate::accounts::Service;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteOnly {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    outcome: String,
}

/// The registry and the metrics the HTTP layer updates.
pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<RouteLabels, Counter>,
    latency: Family<RouteOnly, Histogram>,
    logins: Family<Outcome, Counter>,
    changes: Family<Outcome, Counter>,
    hash_waiting: Gauge,
    plugin_instances: Gauge,
}

impl Metrics {
    pub(crate) fn new(service: &Service) -> Metrics {
        let mut registry = Registry::with_prefix("matkhau");
        let requests = Family::<RouteLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        let latency = Family::<RouteOnly, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 14))
        });
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        let logins = Family::<Outcome, Counter>::default();
        registry.register(
            "logins",
            "Login answers by outcome (status or error code)",
            logins.clone(),
        );
        let changes = Family::<Outcome, Counter>::default();
        registry.register(
            "password_changes",
            "Password change answers by outcome",
            changes.clone(),
        );
        let c = service.counters();
        for (name, help, counter) in [
            ("mail_sent", "Mail delivered", &c.mail_sent),
            ("mail_failed", "Mail deliveries that failed", &c.mail_failed),
            (
                "mail_interrupted",
                "Notices whose delivery was interrupted and not sent again",
                &c.mail_interrupted,
            ),
            (
                "sweep_locked",
                "Organisation accounts locked for inactivity",
                &c.sweep_locked,
            ),
            (
                "sweep_warned",
                "Password expiry warnings queued",
                &c.sweep_warned,
            ),
            (
                "passwords_reissued",
                "Temporary passwords issued",
                &c.reissued,
            ),
            (
                "passwords_rehashed",
                "Hashes upgraded to the current argon2 parameters",
                &c.rehashed,
            ),
        ] {
            registry.register(name, help, counter.clone());
        }
        registry.register(
            "password_hashes",
            "argon2id computations (hashes and verifications)",
            service.hash_counter(),
        );
        let hash_waiting = Gauge::default();
        registry.register(
            "hash_waiting",
            "Requests waiting for a hashing worker",
            hash_waiting.clone(),
        );
        let plugin_instances = Gauge::default();
        registry.register(
            "plugin_instances",
            "Live policy plug-in instances",
            plugin_instances.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            logins,
            changes,
            hash_waiting,
            plugin_instances,
        }
    }

    /// Counts a login answer (its status or error code).
    pub(crate) fn login(&self, outcome: &str) {
        count(&self.logins, outcome);
    }

    /// Counts a password-change answer (its status or error code).
    pub(crate) fn change(&self, outcome: &str) {
        count(&self.changes, outcome);
    }
}

fn count(family: &Family<Outcome, Counter>, outcome: &str) {
    family
        .get_or_create(&Outcome {
            outcome: outcome.to_string(),
        })
        .inc();
}

/// Counts and times every request by its route template.
pub(crate) async fn track(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let start = Instant::now();
    let response = next.run(request).await;
    app.metrics
        .latency
        .get_or_create(&RouteOnly {
            route: route.clone(),
        })
        .observe(start.elapsed().as_secs_f64());
    app.metrics
        .requests
        .get_or_create(&RouteLabels {
            route,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// Prometheus metrics (text exposition).
#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "OpenMetrics text", content_type = "application/openmetrics-text")))]
pub(crate) async fn scrape(State(app): State<Arc<App>>) -> Response {
    app.metrics.hash_waiting.set(app.service.hash_waiting());
    app.metrics
        .plugin_instances
        .set(app.service.plugin_instances() as i64);
    let mut out = String::new();
    if prometheus_client::encoding::text::encode(&mut out, &app.metrics.registry).is_err() {
        return (StatusCode::INTERNAL_SERVER_ERROR, "cannot encode metrics").into_response();
    }
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        out,
    )
        .into_response()
}
