//! Every error answer: `{"error": {"code", "message", "detail"?}}` with the HTTP status of its
//! code, mapped in one exhaustive `match` (a new code does not compile until it has a status).

use crate::code::{Code, Coded};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The HTTP status of a code.
pub fn status(code: Code) -> StatusCode {
    use Code::*;
    match code {
        RequestJson | RequestUtf8 | BreachBadPrefix | ResetInvalid | OtpInvalid => {
            StatusCode::BAD_REQUEST
        }
        AuthRequired | LoginFailed | LoginOtpFailed | LoginTicketInvalid | RadiusRejected => {
            StatusCode::UNAUTHORIZED
        }
        AuthAdminOnly | LoginTemporaryExpired => StatusCode::FORBIDDEN,
        NotFound | AccountUnknown | OtpNotEnrolled => StatusCode::NOT_FOUND,
        AccountExists | AccountRevoked | LoginConflict | PasswordConflict | StorageConflict
        | LeakConflict | OtpEnrolled => StatusCode::CONFLICT,
        RequestTooLarge | PluginRequestTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        RequestMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        RequestInvalid
        | AccountInvalidUsername
        | AccountInvalidEmail
        | PasswordRejected
        | PasswordReused
        | PasswordSimilar => StatusCode::UNPROCESSABLE_ENTITY,
        // A refused reload: the active plug-in stays.
        PluginRead | PluginTooLarge | PluginDigestMismatch | PluginInvalidWasm | PluginImports
        | PluginExports | PluginAbiVersion | PluginInit | PluginSelfCheck | PolicyInvalid => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        LoginLocked => StatusCode::LOCKED,
        LoginThrottled | PasswordTooSoon | RequestThrottled => StatusCode::TOO_MANY_REQUESTS,
        MailSend | MailTimeout => StatusCode::BAD_GATEWAY,
        HashBusy | StorageUnavailable | StorageWrite | PluginBusy | PluginTimeout
        | BreachUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        Internal | MailAddress | MailBuild | MailSealed | MailInterrupted | HashFailed
        | StorageMigration | StorageQuery | StorageUrl | StorageCorrupt | PluginMemory
        | PluginTrap | PluginBadResponse | PluginRefused | BreachIo | BreachFormat
        | BreachEmpty | BreachNoRanges | BreachFilter | BreachTooLarge | SecretFile
        | SecretMismatch => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    code: Code,
    message: String,
    detail: Option<serde_json::Value>,
    retry_after: Option<i64>,
}

impl ApiError {
    /// An answer with `code` and `message` (never quoting the request).
    pub fn new(code: Code, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            detail: None,
            retry_after: None,
        }
    }

    /// Its code.
    pub fn code(&self) -> Code {
        self.code
    }
}

/// The body of every error answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorObject,
}

/// `{code, message, detail?}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorObject {
    /// Stable; clients branch on it.
    pub code: Code,
    /// For people, in English; never quotes the request.
    pub message: String,
    /// A verdict (`password.rejected`), a lock's `reason` and `until` (`login.locked`), a wait
    /// (`password.too_soon`), a history depth (`password.reused`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub detail: Option<serde_json::Value>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status(self.code);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            // The message is ours (no request data); the operator needs it.
            eprintln!("matkhau: internal error: {} ({})", self.message, self.code);
        }
        let body = ErrorBody {
            error: ErrorObject {
                code: self.code,
                message: self.message,
                detail: self.detail,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

impl From<crate::accounts::Error> for ApiError {
    fn from(e: crate::accounts::Error) -> Self {
        let message = match &e {
            // The database's own words stay in the log: they name tables and constraints, and
            // the client can do nothing with them.
            crate::accounts::Error::Store(store) => {
                eprintln!("matkhau: storage: {}", store.describe());
                match store.code() {
                    Code::StorageUnavailable => "the database is unavailable; try again shortly",
                    Code::StorageWrite => {
                        "the database cannot be written at the moment; nothing changed"
                    }
                    Code::StorageConflict => "the record changed meanwhile; start again",
                    Code::StorageCorrupt => "a stored record cannot be read; the operator is told",
                    _ => "a database operation failed; try again",
                }
                .to_string()
            }
            _ => e.to_string(),
        };
        ApiError {
            code: e.code(),
            detail: e.detail(),
            retry_after: e.retry_after(),
            message,
        }
    }
}

impl From<crate::plugin::LoadError> for ApiError {
    fn from(e: crate::plugin::LoadError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code and its status, as clients see them. Changing a status is changing the API:
    /// this list changes with it.
    const STATUSES: &[(&str, u16)] = &[
        ("request.json", 400),
        ("request.utf8", 400),
        ("request.invalid", 422),
        ("request.media_type", 415),
        ("request.too_large", 413),
        ("request.timeout", 408),
        ("request.throttled", 429),
        ("not_found", 404),
        ("auth.required", 401),
        ("auth.admin_only", 403),
        ("account.invalid_username", 422),
        ("account.invalid_email", 422),
        ("account.exists", 409),
        ("account.unknown", 404),
        ("account.revoked", 409),
        ("login.failed", 401),
        ("login.locked", 423),
        ("login.throttled", 429),
        ("login.temporary_expired", 403),
        ("login.conflict", 409),
        ("password.rejected", 422),
        ("password.reused", 422),
        ("password.similar", 422),
        ("password.too_soon", 429),
        ("password.conflict", 409),
        ("reset.invalid", 400),
        ("login.otp_failed", 401),
        ("login.ticket_invalid", 401),
        ("otp.invalid", 400),
        ("otp.enrolled", 409),
        ("otp.not_enrolled", 404),
        ("radius.rejected", 401),
        ("mail.address", 500),
        ("mail.build", 500),
        ("mail.send", 502),
        ("mail.timeout", 502),
        ("mail.sealed", 500),
        ("mail.interrupted", 500),
        ("hash.busy", 503),
        ("hash.failed", 500),
        ("storage.unavailable", 503),
        ("storage.migration", 500),
        ("storage.conflict", 409),
        ("storage.query", 500),
        ("storage.write", 503),
        ("storage.url", 500),
        ("storage.corrupt", 500),
        ("plugin.request_too_large", 413),
        ("plugin.timeout", 503),
        ("plugin.memory", 500),
        ("plugin.trap", 500),
        ("plugin.bad_response", 500),
        ("plugin.busy", 503),
        ("plugin.refused", 500),
        ("plugin.read", 422),
        ("plugin.too_large", 422),
        ("plugin.digest_mismatch", 422),
        ("plugin.invalid_wasm", 422),
        ("plugin.imports", 422),
        ("plugin.exports", 422),
        ("plugin.abi_version", 422),
        ("plugin.init", 422),
        ("plugin.self_check", 422),
        ("policy.invalid", 422),
        ("breach.bad_prefix", 400),
        ("breach.unavailable", 503),
        ("breach.io", 500),
        ("breach.format", 500),
        ("breach.empty", 500),
        ("breach.no_ranges", 500),
        ("breach.filter", 500),
        ("breach.too_large", 500),
        ("leak.conflict", 409),
        ("secret.file", 500),
        ("secret.mismatch", 500),
        ("internal", 500),
    ];

    #[test]
    fn every_code_has_its_status() {
        let listed: Vec<&str> = STATUSES.iter().map(|(c, _)| *c).collect();
        let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            listed, all,
            "the list names every code, in declaration order"
        );
        for (text, expected) in STATUSES {
            let code: Code = text.parse().unwrap();
            assert_eq!(status(code).as_u16(), *expected, "{text}");
        }
    }

    #[test]
    fn every_code_is_in_the_openapi_document() {
        let doc = serde_json::to_value(super::super::document()).unwrap();
        let codes = &doc["components"]["schemas"]["Code"]["enum"];
        let documented: Vec<&str> = codes
            .as_array()
            .expect("the Code schema is a string enum")
            .iter()
            .filter_map(|c| c.as_str())
            .collect();
        for code in Code::ALL {
            assert!(
                documented.contains(&code.as_str()),
                "{code} is not documented"
            );
        }
        let error = &doc["components"]["schemas"]["ErrorObject"]["properties"]["code"]["$ref"];
        assert_eq!(error, "#/components/schemas/Code");
    }
}
