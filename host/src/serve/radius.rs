//! `POST /v1/radius/authenticate`: the route FreeRADIUS's `rest` module asks for each VPN
//! Access-Request (`deploy/freeradius/`), behind its own token. The body is what the module
//! sends with `body = 'json'`: every attribute of the request as `{"type", "value": [..]}`.
//! An accepted sign-in answers 204 (FreeRADIUS: `ok`, Access-Accept); every refusal answers
//! 401 `radius.rejected` (Access-Reject), whatever its reason, which goes to the log only.

use super::error::{ApiError, ErrorBody};
use super::input::InputError;
use super::App;
use crate::accounts::{Error, Secret};
use crate::clock::unix_now;
use crate::code::Code;
use crate::states::Actor;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use matkhau_abi::Locale;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// One attribute as FreeRADIUS encodes it: `{"type": "string", "value": [..]}` (the type is
/// not needed: the attributes read here are strings).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct Attribute {
    /// Its values (strings for the ones read here).
    #[schema(value_type = Vec<Object>)]
    pub value: Vec<serde_json::Value>,
}

/// The first string value of attribute `name`.
fn text<'a>(attrs: &'a HashMap<String, Attribute>, name: &str) -> Option<&'a str> {
    attrs.get(name)?.value.first()?.as_str()
}

/// Decides a VPN sign-in: `User-Name`, and `User-Password` holding the password with the
/// authenticator app's 6-digit code joined after it. `Calling-Station-Id` (the VPN user's
/// address, as the concentrator reports it) or else `NAS-IP-Address` is the client address the
/// attempt counts against.
#[utoipa::path(post, path = "/v1/radius/authenticate",
    request_body(content = HashMap<String, Attribute>, description = "FreeRADIUS rest module, body = 'json'"),
    security(("radius_token" = [])),
    responses(
        (status = 204, description = "Access-Accept"),
        (status = 401, description = "radius.rejected (Access-Reject), auth.required", body = ErrorBody),
        (status = 422, description = "request.invalid: no User-Name or User-Password", body = ErrorBody),
    ))]
pub(crate) async fn authenticate(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let attrs: HashMap<String, Attribute> = super::input::json(&body)?;
    let (Some(username), Some(joined)) = (
        text(&attrs, "User-Name"),
        text(&attrs, "User-Password").map(|p| Secret::new(p.to_string())),
    ) else {
        return Err(InputError::Invalid("User-Name and User-Password are required".into()).into());
    };
    let mut client = app.client(peer, &headers, Actor::User, Locale::default());
    if let Some(station) = text(&attrs, "Calling-Station-Id").or(text(&attrs, "NAS-IP-Address")) {
        if !station.is_empty() && station.len() <= 64 && !station.chars().any(char::is_control) {
            client.address = format!("radius:{station}");
        }
    }
    match app
        .service
        .radius_authenticate(username, &joined, &client, unix_now())
        .await
    {
        Ok(_) => Ok(StatusCode::NO_CONTENT),
        Err(Error::RadiusRejected { why }) => {
            eprintln!("matkhau: RADIUS sign-in of {username:?} rejected: {why}");
            Err(ApiError::new(Code::RadiusRejected, "access rejected"))
        }
        Err(e) => Err(e.into()),
    }
}
