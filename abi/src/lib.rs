//! matkhau-abi: what crosses between the host and the policy plug-in, as types.
//!
//! The plug-in (`plugin/`) deserializes [`Request`]s and serializes answers with these types; the
//! host deserializes the answers with the same types, so a field that one side renames, drops or
//! adds is an error on the other, never a silent default. `plugin/ABI.md` is the same contract
//! for a third party; a test in this crate checks that its tables and these types agree.
//!
//! Serde types only: no rule lives here. The engine (`matkhau-core`) gives the verdict, validates
//! the policy and takes every lifecycle decision; it builds for the browser too and re-exports
//! these types, so the widget, the pages, the plug-in and the host share one definition.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod answer;
pub mod context;
pub mod exposure;
pub mod lifecycle;
pub mod locale;
pub mod policy;
pub mod request;
pub mod verdict;

#[cfg(test)]
mod doc;

pub use answer::{Description, Generated, Refusal, RefusalCode, Response};
pub use context::Context;
pub use exposure::Exposure;
pub use locale::Locale;
pub use policy::{Lockout, Otp, Policy};
pub use request::{Decision, Op, Request};
pub use verdict::{Check, Message, PolicyRef, Verdict};

/// The ABI version these types describe; a plug-in reports it from `matkhau_abi_version`.
pub const ABI_VERSION: u32 = 1;

/// Reads an `Option` field that must be present (`null` for none): serde would otherwise take a
/// missing `Option` field as `None`.
pub(crate) fn required<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer)
}
