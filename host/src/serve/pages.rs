//! The portal pages (`matkhau-web`) and the embeddable widget package (`matkhau-wasm`), as
//! `cargo xtask web` builds them into one folder. Files are served as built, with their
//! precompressed `.br`/`.gz` twins when the browser accepts them, and revalidated on every use
//! (`no-cache` with ETag/Last-Modified), so a rebuilt bundle is picked up at once. Whether the
//! bundle exists at all is checked when the server starts.
//!
//! Pages carry a strict Content-Security-Policy: scripts and styles from this origin only, no
//! inline code, and `'wasm-unsafe-eval'` for WebAssembly. The widget's files may be loaded by
//! any origin (`Access-Control-Allow-Origin: *`): third-party portals embed them.

use super::header_layer;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::{get, get_service, MethodRouter};
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// The Content-Security-Policy of a page of ours; the portal's adds `frame-ancestors 'none'`
/// (the example page must be framable by the portals it shows the embedding to).
macro_rules! page_csp {
    ($($extra:literal)?) => {
        concat!(
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; ",
            "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'"
            $(, $extra)?
        )
    };
}

const PORTAL_CSP: &str = page_csp!("; frame-ancestors 'none'");
const EXAMPLE_CSP: &str = page_csp!();

/// The paths that show the portal (the app picks the page from the path).
const PAGE_PATHS: [&str; 6] = [
    "/",
    "/dang-nhap",
    "/dang-ky",
    "/doi-mat-khau",
    "/quen-mat-khau",
    "/dat-lai-mat-khau",
];

/// The routes for the bundle in `dir`; when it is not built, the pages say how to build it.
pub fn routes<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let index = dir.join("index.html");
    let built = index.is_file();
    let page: MethodRouter<S> = if built {
        get_service(
            ServeFile::new(&index)
                .precompressed_br()
                .precompressed_gzip(),
        )
    } else {
        get(|| async {
            let text = "<!doctype html><meta charset=utf-8><title>matkhau</title>\
                <p>The portal pages are not built. Run <code>cargo xtask web</code>, \
                or start with <code>cargo xtask serve</code>.</p>";
            (StatusCode::SERVICE_UNAVAILABLE, Html(text)).into_response()
        })
    };
    let mut router = Router::new();
    for path in PAGE_PATHS {
        router = router.route(path, page.clone());
    }
    let mut router = router
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, PORTAL_CSP))
        .layer(header_layer(header::REFERRER_POLICY, "no-referrer"));
    if built {
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
            .layer(header_layer(header::CONTENT_SECURITY_POLICY, EXAMPLE_CSP));
        router = router
            .nest_service("/app", files("app"))
            .nest("/widget", widget);
    }
    router
        .layer(header_layer(header::CACHE_CONTROL, "no-cache"))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
}
