//! The bearer token that admin routes (and the portal back end's activity reports) require,
//! checked in constant time by one middleware.

use super::error::ApiError;
use crate::code::Code;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Who may pass: the holders of one of its tokens.
#[derive(Clone)]
pub struct Gate {
    tokens: Arc<[Box<str>]>,
}

impl Gate {
    /// A gate for the `tokens` given; without one nobody passes.
    pub fn new(tokens: &[Option<&str>]) -> Gate {
        Gate {
            tokens: tokens
                .iter()
                .flatten()
                .filter(|t| !t.is_empty())
                .map(|t| Box::from(*t))
                .collect(),
        }
    }

    /// Whether the request carries the token (`Authorization: Bearer …`).
    pub fn allows(&self, headers: &HeaderMap) -> bool {
        use subtle::ConstantTimeEq;
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let Some(given) = given else {
            return false;
        };
        // Every token is compared (in constant time), whichever matches.
        self.tokens.iter().fold(false, |any, expected| {
            any | bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
        })
    }

    /// Whether a token is configured.
    pub fn configured(&self) -> bool {
        !self.tokens.is_empty()
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
