//! The bearer token that admin routes (and the portal back end's activity reports) require,
//! checked in constant time by one middleware.

use super::error::ApiError;
use crate::code::Code;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Who may pass: the holders of a token.
#[derive(Clone)]
pub struct Gate {
    token: Option<Arc<str>>,
}

impl Gate {
    /// A gate for `token`; without one nobody passes.
    pub fn new(token: Option<&str>) -> Gate {
        Gate {
            token: token.filter(|t| !t.is_empty()).map(Arc::from),
        }
    }

    /// Whether the request carries the token (`Authorization: Bearer …`).
    pub fn allows(&self, headers: &HeaderMap) -> bool {
        use subtle::ConstantTimeEq;
        let Some(expected) = &self.token else {
            return false;
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
    }

    /// The token, if one is configured.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Whether a token is configured.
    pub fn configured(&self) -> bool {
        self.token.is_some()
    }
}

/// Middleware: the request goes on only with the gate's token.
pub async fn require(State(gate): State<Gate>, request: Request, next: Next) -> Response {
    if gate.allows(request.headers()) {
        next.run(request).await
    } else {
        ApiError::new(Code::AuthRequired, "a valid bearer token is required").into_response()
    }
}
