//! `POST /v1/radius/authenticate`: the route FreeRADIUS's `rest` module asks for each VPN
//! Access-Request (`deploy/freeradius/`), behind its own token. The body is what the module
//! sends with `body = 'json'`: every attribute of the request as `{"type", "value": [..]}`.
//! An accepted sign-in answers 204 (FreeRADIUS: `ok`, Access-Accept); every refusal answers
//! 401 `radius.rejected` (Access-Reject), whatever its reason, which goes to the log only.

use super::error::{ApiError, ErrorBody};
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

/// The first string value of attribute `name`, as the user typed it. FreeRADIUS writes each
/// byte of a string at or above 0x80 as its own `\u00XX` escape, so the UTF-8 bytes of "ậ"
/// arrive as three characters of U+0080..U+00FF: they are turned back into bytes and read as
/// UTF-8. `None` when missing or not UTF-8 (a wrong shared secret garbles the password so).
fn text(attrs: &HashMap<String, Attribute>, name: &str) -> Option<String> {
    let value = attrs.get(name)?.value.first()?.as_str()?;
    if value.chars().any(|c| u32::from(c) > 0xFF) {
        // Not FreeRADIUS's form (a client that sends real UTF-8): taken as it is.
        return Some(value.to_string());
    }
    let bytes: Vec<u8> = value.chars().map(|c| u32::from(c) as u8).collect();
    String::from_utf8(bytes).ok()
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
        text(&attrs, "User-Password").map(Secret::new),
    ) else {
        // Missing, or not UTF-8 once decoded: nothing to verify, the same answer as a refusal.
        return Err(ApiError::new(Code::RadiusRejected, "access rejected"));
    };
    let mut client = app.client(peer, &headers, Actor::User, Locale::default());
    let station = text(&attrs, "Calling-Station-Id").or_else(|| text(&attrs, "NAS-IP-Address"));
    if let Some(station) = station {
        if !station.is_empty() && station.len() <= 64 && !station.chars().any(char::is_control) {
            client.address = format!("radius:{station}");
        }
    }
    match app
        .service
        .radius_authenticate(&username, &joined, &client, unix_now())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freeradius_strings_are_read_back_as_utf8() {
        // Captured from FreeRADIUS 3.2.1 (`body = 'json'`) for `pa"ss\wörd Mật khẩu/123456`.
        let body = r#"{"User-Name":{"type":"string","value":["alice"]},"User-Password":{"type":"string","value":["pa\"ss\\w\u00C3\u00B6rd M\u00E1\u00BA\u00ADt kh\u00E1\u00BA\u00A9u\/123456"]},"NAS-IP-Address":{"type":"ipaddr","value":["10.0.0.9"]},"NAS-Port":{"type":"integer","value":[7]}}"#;
        let attrs: HashMap<String, Attribute> = serde_json::from_str(body).unwrap();
        assert_eq!(
            text(&attrs, "User-Password").unwrap(),
            "pa\"ss\\wörd Mật khẩu/123456"
        );
        assert_eq!(text(&attrs, "User-Name").unwrap(), "alice");
        assert_eq!(text(&attrs, "NAS-Port"), None);
        // Bytes that are not UTF-8 (a wrong shared secret): nothing.
        let garbled = r#"{"User-Password":{"type":"string","value":["\u00FF\u00FEx"]}}"#;
        let attrs: HashMap<String, Attribute> = serde_json::from_str(garbled).unwrap();
        assert_eq!(text(&attrs, "User-Password"), None);
    }
}
