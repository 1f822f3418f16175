//! The portal pages (`matkhau-web`) and the embeddable widget package (`matkhau-wasm`), as
//! `cargo xtask web` builds them into one folder. Files are served as built, with their
//! precompressed `.br`/`.gz` twins when the browser accepts them, and revalidated on every use
//! (`no-cache` with ETag/Last-Modified), so a new build is picked up at once.
//!
//! Pages carry a strict Content-Security-Policy: scripts and styles from this origin only, no
//! inline code, and `'wasm-unsafe-eval'` for WebAssembly. The widget's files may be loaded by
//! any origin (`Access-Control-Allow-Origin: *`): third-party portals embed them.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::get_service;
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy of the portal's pages.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// The paths that show the portal (the page chosen from the path by the app).
pub const PAGE_PATHS: [&str; 4] = ["/", "/dang-nhap", "/dang-ky", "/doi-mat-khau"];

fn header_layer(
    name: header::HeaderName,
    value: &'static str,
) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

/// The routes for the bundle in `dir`; when it is not built, the pages say how to build it.
pub fn routes<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let index = dir.join("index.html");
    let mut router = Router::new();
    if !index.is_file() {
        let missing = || async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Html(
                    "<!doctype html><meta charset=utf-8><title>matkhau</title>\
                     <p>The portal pages are not built. Run <code>cargo xtask web</code>, \
                     or start with <code>cargo xtask serve</code>.</p>",
                ),
            )
                .into_response()
        };
        for path in PAGE_PATHS {
            router = router.route(path, axum::routing::get(missing));
        }
        return router;
    }
    let page = get_service(
        ServeFile::new(&index)
            .precompressed_br()
            .precompressed_gzip(),
    );
    for path in PAGE_PATHS {
        router = router.route(path, page.clone());
    }
    let router = router
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, PAGE_CSP))
        .layer(header_layer(header::REFERRER_POLICY, "no-referrer"));
    let files = |sub: &str| {
        ServeDir::new(dir.join(sub))
            .precompressed_br()
            .precompressed_gzip()
    };
    let widget = Router::new()
        .fallback_service(files("widget"))
        .layer(header_layer(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .layer(header_layer(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            "cross-origin",
        ))
        // The example page is a page too.
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            PAGE_CSP_EXAMPLE,
        ));
    router
        .nest_service("/app", files("app"))
        .nest("/widget", widget)
        .layer(header_layer(header::CACHE_CONTROL, "no-cache"))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
}

/// The example page's policy when the host serves it (it loads the widget from its own origin).
const PAGE_CSP_EXAMPLE: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'";
