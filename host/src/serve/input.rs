//! What a request brings: its JSON body (errors name the field, never a value), who is calling,
//! and the language of the answer.

use super::error::ApiError;
use crate::accounts::Client;
use crate::code::{Code, Coded};
use crate::states::Actor;
use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use matkhau_abi::Locale;
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};

/// What is wrong with a request's input.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The body is not UTF-8.
    #[error("the body is not UTF-8")]
    NotUtf8,
    /// The body is not one JSON object.
    #[error("the body is not one JSON object")]
    NotJson,
    /// A field, a query or a value is wrong (named, never quoted).
    #[error("{0}")]
    Invalid(String),
    /// A body that is not declared `application/json` (a cross-site form cannot send one).
    #[error("the body must be sent with Content-Type: application/json")]
    NotJsonMedia,
}

impl Coded for InputError {
    fn code(&self) -> Code {
        match self {
            InputError::NotUtf8 => Code::RequestUtf8,
            InputError::NotJson => Code::RequestJson,
            InputError::Invalid(_) => Code::RequestInvalid,
            InputError::NotJsonMedia => Code::RequestMediaType,
        }
    }
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

/// Middleware of the JSON routes: a request with a body must declare it `application/json`
/// (`415 request.media_type` otherwise), so a cross-site HTML form, which can only send
/// `text/plain`, `multipart/form-data` or a urlencoded body, cannot call them.
pub async fn json_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let headers = request.headers();
    let empty = headers.get(header::TRANSFER_ENCODING).is_none()
        && headers
            .get(header::CONTENT_LENGTH)
            .is_none_or(|v| v.as_bytes() == b"0");
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if empty || declared {
        next.run(request).await
    } else {
        ApiError::from(InputError::NotJsonMedia).into_response()
    }
}

/// Parses a JSON body. The error names the field at fault and never quotes the body.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, InputError> {
    let text = std::str::from_utf8(body).map_err(|_| InputError::NotUtf8)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => InputError::Invalid(invalid_field(&path, &inner)),
            _ => InputError::NotJson,
        }
    })?;
    de.end().map_err(|_| InputError::NotJson)?;
    Ok(value)
}

/// What is wrong with a field, naming it by its path. An unknown field is named by where it
/// is, not by itself: a client's key may be anything, a password typed in the wrong place too.
fn invalid_field(path: &str, e: &serde_json::Error) -> String {
    let unknown = e.to_string().starts_with("unknown field");
    let path = match (unknown, path.rsplit_once('.')) {
        (true, Some((parent, _))) => parent,
        (true, None) => ".",
        (false, _) => path,
    };
    let what = if unknown {
        "an unknown field"
    } else {
        "a missing field, a wrong type or a bad value"
    };
    match path {
        "." => format!("{what} (column {})", e.column()),
        _ => format!("`{path}`: {what}"),
    }
}

/// An optional JSON body: empty means `T::default()`.
pub fn optional_json<T: Default + DeserializeOwned>(body: &Bytes) -> Result<T, InputError> {
    if body.is_empty() {
        Ok(T::default())
    } else {
        json(body)
    }
}

/// The language of the answer: the body's `locale` when given, else the best of
/// `Accept-Language` (by q-value), else Vietnamese.
pub fn locale(given: Option<Locale>, headers: &HeaderMap) -> Locale {
    given
        .or_else(|| accept_language(headers))
        .unwrap_or_default()
}

/// The most preferred language of an `Accept-Language` header that is Vietnamese or English.
pub fn accept_language(headers: &HeaderMap) -> Option<Locale> {
    let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    accept_language::parse_with_quality(value)
        .into_iter()
        .filter(|(_, q)| *q > 0.0)
        .find_map(|(tag, _)| Locale::from_tag(&tag))
}

/// Who is calling: the peer's address (or the last `X-Forwarded-For` entry when the host sits
/// behind a proxy it trusts), the actor and the answer's language.
pub fn client(
    peer: SocketAddr,
    headers: &HeaderMap,
    trust_forwarded_for: bool,
    actor: Actor,
    locale: Locale,
) -> Client {
    let forwarded = || {
        headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    };
    let address = match trust_forwarded_for {
        true => forwarded().unwrap_or(peer.ip()),
        false => peer.ip(),
    };
    Client {
        address: address.to_string(),
        actor,
        locale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, value.parse().unwrap());
        h
    }

    #[test]
    fn accept_language_follows_q_values() {
        assert_eq!(accept_language(&with("vi-VN,en;q=0.5")), Some(Locale::Vi));
        assert_eq!(
            accept_language(&with("en;q=0.1, vi;q=0.9")),
            Some(Locale::Vi)
        );
        assert_eq!(accept_language(&with("fr, en-GB;q=0.8")), Some(Locale::En));
        assert_eq!(accept_language(&with("vi;q=0, en;q=0.2")), Some(Locale::En));
        assert_eq!(accept_language(&with("fr")), None);
        assert_eq!(locale(None, &with("fr")), Locale::Vi);
        assert_eq!(locale(Some(Locale::En), &with("vi")), Locale::En);
    }

    #[test]
    fn body_errors_name_the_field_not_the_value() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Body {
            locale: Option<Locale>,
        }
        let e = json::<Body>(br#"{"locale": "S3cret-fr"}"#).unwrap_err();
        assert_eq!(e.code(), Code::RequestInvalid);
        let text = format!("{e:?}");
        assert!(
            text.contains("`locale`") && !text.contains("S3cret"),
            "{text}"
        );
        let e = json::<Body>(br#"{"S3cret-key": 1}"#).unwrap_err();
        assert!(!format!("{e:?}").contains("S3cret"), "{e:?}");
        assert_eq!(json::<Body>(b"{").unwrap_err().code(), Code::RequestJson);
        assert_eq!(json::<Body>(b"\xff").unwrap_err().code(), Code::RequestUtf8);
    }
}
