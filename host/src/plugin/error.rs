//! How loading a plug-in or calling it fails; every failure has its stable [`Code`].

use crate::code::{Code, Coded};
use matkhau_abi::Refusal;

/// Why a plug-in was refused (at start or at a reload; the active one stays).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The file cannot be read.
    #[error("cannot read the plug-in: {0}")]
    Read(String),
    /// Over [`super::MAX_PLUGIN_BYTES`].
    #[error("the plug-in has {size} bytes; the limit is {limit}")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Its SHA-256 is not the pinned one.
    #[error("the plug-in's SHA-256 is {actual}, not the pinned {expected}")]
    DigestMismatch {
        /// The pin.
        expected: String,
        /// What it is.
        actual: String,
    },
    /// Not a core WebAssembly module, or one that does not compile.
    #[error("{0}")]
    InvalidWasm(String),
    /// It imports something the host does not provide.
    #[error("{0}")]
    Imports(String),
    /// It lacks an export, or one has the wrong type.
    #[error("{0}")]
    Exports(String),
    /// It speaks another ABI version, or cannot say which.
    #[error("{0}")]
    AbiVersion(String),
    /// Its initialisation (or the snapshot of it) failed.
    #[error("{0}")]
    Init(String),
    /// It failed a known-answer check.
    #[error("the self-check failed: {0}")]
    SelfCheck(String),
    /// The host's policy file has a bad field (`field` is empty when the file itself is bad).
    #[error("{}", field_message(.field, .reason))]
    PolicyInvalid {
        /// The field, dotted (`lockout.max_failures`).
        field: String,
        /// What is wrong.
        reason: String,
    },
}

fn field_message(field: &str, reason: &str) -> String {
    if field.is_empty() {
        reason.to_string()
    } else {
        format!("{field}: {reason}")
    }
}

impl Coded for LoadError {
    fn code(&self) -> Code {
        match self {
            LoadError::Read(_) => Code::PluginRead,
            LoadError::TooLarge { .. } => Code::PluginTooLarge,
            LoadError::DigestMismatch { .. } => Code::PluginDigestMismatch,
            LoadError::InvalidWasm(_) => Code::PluginInvalidWasm,
            LoadError::Imports(_) => Code::PluginImports,
            LoadError::Exports(_) => Code::PluginExports,
            LoadError::AbiVersion(_) => Code::PluginAbiVersion,
            LoadError::Init(_) => Code::PluginInit,
            LoadError::SelfCheck(_) => Code::PluginSelfCheck,
            LoadError::PolicyInvalid { .. } => Code::PolicyInvalid,
        }
    }
}

/// Why one call failed. The host keeps serving: the instance involved is discarded. No message
/// ever quotes the request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The request is over the size limit; nothing was called.
    #[error("the request has {size} bytes; the limit is {limit}")]
    RequestTooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The call ran past its deadline.
    #[error("the call ran past {0} ms")]
    Timeout(u128),
    /// The call needed more memory than allowed, or the plug-in could not allocate the request.
    #[error("{0}")]
    Memory(String),
    /// The plug-in trapped (or could not be instantiated).
    #[error("the plug-in trapped: {0}")]
    Trap(String),
    /// The answer is not what the ABI says.
    #[error("bad response: {0}")]
    BadResponse(String),
    /// Every instance stayed busy for the whole call timeout.
    #[error("every plug-in instance stayed busy for the whole call timeout")]
    Busy,
    /// The plug-in refused the request.
    #[error("the plug-in refused the request ({}, field `{}`): {}", .0.code.as_str(), .0.field, .0.message)]
    Refused(Refusal),
}

impl Coded for CallError {
    fn code(&self) -> Code {
        match self {
            CallError::RequestTooLarge { .. } => Code::PluginRequestTooLarge,
            CallError::Timeout(_) => Code::PluginTimeout,
            CallError::Memory(_) => Code::PluginMemory,
            CallError::Trap(_) => Code::PluginTrap,
            CallError::BadResponse(_) => Code::PluginBadResponse,
            CallError::Busy => Code::PluginBusy,
            CallError::Refused(_) => Code::PluginRefused,
        }
    }
}
