//! The host's policy engine: the active plug-in behind an atomic pointer, and typed requests.

use super::{CallError, LoadError, LoadOptions, Plugin, Runtime, EMBEDDED};
use arc_swap::ArcSwap;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a plug-in comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The module embedded in this binary at build time.
    Embedded,
    /// A module file (`--policy-plugin`).
    File(PathBuf),
}

impl Source {
    fn read(&self) -> Result<(std::borrow::Cow<'static, [u8]>, String), LoadError> {
        match self {
            Source::Embedded => Ok((EMBEDDED.into(), "embedded".to_string())),
            Source::File(path) => {
                let bytes = std::fs::read(path).map_err(|e| {
                    LoadError::new(
                        "plugin.read",
                        format!("cannot read {}: {e}", path.display()),
                    )
                })?;
                Ok((bytes.into(), path.display().to_string()))
            }
        }
    }
}

/// A refusal from the plug-in itself (bad request, invalid policy): stable code, field, message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Refusal {
    /// Stable code, e.g. `request.invalid`, `policy.invalid`.
    pub code: String,
    /// The request field concerned ("" when none).
    #[serde(default)]
    pub field: String,
    /// What is wrong (never quotes the request).
    #[serde(default)]
    pub message: String,
}

/// A plug-in's answer: the result JSON exactly as the plug-in wrote it, or its refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// `result`, byte for byte.
    Ok(String),
    /// `error`.
    Refused(Refusal),
}

#[derive(Deserialize)]
struct Envelope<'a> {
    ok: bool,
    #[serde(borrow, default)]
    result: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<Refusal>,
}

/// Reads a response envelope (ABI.md, "Responses"); anything else is a bad response.
pub(super) fn parse_envelope(bytes: &[u8]) -> Result<Answer, CallError> {
    let bad = |what: &str| CallError::new("plugin.bad_response", what.to_string());
    let text = std::str::from_utf8(bytes).map_err(|_| bad("the response is not UTF-8"))?;
    let envelope: Envelope<'_> = serde_json::from_str(text)
        .map_err(|_| bad("the response is not an {\"ok\": …} JSON envelope"))?;
    match (envelope.ok, envelope.result, envelope.error) {
        (true, Some(result), _) => Ok(Answer::Ok(result.get().to_string())),
        (false, _, Some(refusal)) => Ok(Answer::Refused(refusal)),
        _ => Err(bad("the envelope has neither a result nor an error")),
    }
}

/// A request (ABI.md, "Requests"); the plug-in adds the active policy (`Plugin::ask`).
#[derive(Serialize)]
pub(super) struct Request<'a> {
    pub(super) op: &'static str,
    pub(super) now: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) locale: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) policy: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) context: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) exposure: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) entropy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) decision: Option<&'a serde_json::Value>,
}

impl<'a> Request<'a> {
    pub(super) fn new(op: &'static str, now: i64) -> Request<'a> {
        Request {
            op,
            now,
            locale: None,
            policy: None,
            password: None,
            context: None,
            exposure: None,
            entropy: None,
            decision: None,
        }
    }
}

/// The active plug-in, swappable at run time.
pub struct Engine {
    runtime: Arc<Runtime>,
    options: LoadOptions,
    current: ArcSwap<Plugin>,
}

impl Engine {
    /// Loads `source` (refused unless it matches `options.expected_sha256` when set).
    pub fn open(
        runtime: Arc<Runtime>,
        source: &Source,
        options: LoadOptions,
    ) -> Result<Engine, LoadError> {
        let (bytes, name) = source.read()?;
        let plugin = Plugin::load(&runtime, &bytes, &name, &options)?;
        Ok(Engine {
            runtime,
            options,
            current: ArcSwap::from_pointee(plugin),
        })
    }

    /// The active plug-in (callers in flight keep theirs across a reload).
    pub fn plugin(&self) -> Arc<Plugin> {
        self.current.load_full()
    }

    /// Loads and checks `source`, then makes it the active plug-in; on any error the active one
    /// stays. `expected_sha256` pins the new module.
    pub fn reload(
        &self,
        source: &Source,
        expected_sha256: Option<String>,
    ) -> Result<Arc<Plugin>, LoadError> {
        let (bytes, name) = source.read()?;
        let options = LoadOptions {
            expected_sha256,
            ..self.options.clone()
        };
        let plugin = Arc::new(Plugin::load(&self.runtime, &bytes, &name, &options)?);
        self.current.store(plugin.clone());
        Ok(plugin)
    }

    fn ask(&self, request: Request<'_>) -> Result<Answer, CallError> {
        self.plugin().ask(request)
    }

    /// The verdict for a password. `context` is a JSON object (DESIGN.md "Context").
    pub fn evaluate(
        &self,
        password: &str,
        context: Option<&RawValue>,
        locale: &str,
        now: i64,
    ) -> Result<Answer, CallError> {
        self.evaluate_exposed(password, context, None, locale, now)
    }

    /// The verdict with what the host's breach lookups found (`{"breached", "reported"}`,
    /// ABI.md): the verdict then has a `breach` check.
    pub fn evaluate_exposed(
        &self,
        password: &str,
        context: Option<&RawValue>,
        exposure: Option<&serde_json::Value>,
        locale: &str,
        now: i64,
    ) -> Result<Answer, CallError> {
        let mut r = Request::new("evaluate", now);
        r.password = Some(password);
        r.context = context;
        r.exposure = exposure;
        r.locale = Some(locale);
        self.ask(r)
    }

    /// A strong password from 32 bytes of caller entropy.
    pub fn generate(&self, entropy: [u8; 32], now: i64) -> Result<Answer, CallError> {
        let mut r = Request::new("generate", now);
        r.entropy = Some(super::hex(&entropy));
        self.ask(r)
    }

    /// A lifecycle decision (ABI.md, "lifecycle"); `now` in Unix seconds.
    pub fn lifecycle(&self, decision: &serde_json::Value, now: i64) -> Result<Answer, CallError> {
        let mut r = Request::new("lifecycle", now);
        r.decision = Some(decision);
        self.ask(r)
    }
}

/// Unix time now, in seconds.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
