//! matkhau's host: the policy plug-in runtime (wasmtime), the account service over SQLite or
//! PostgreSQL, its HTTP API, and the `matkhau` command line.
//! Password decisions are never made here: they are asked of the plug-in, in the types of
//! `matkhau-abi` (plugin/ABI.md).

#![warn(missing_docs)]

mod text_enum;

pub mod accounts;
pub mod breach;
pub mod cli;
pub mod clock;
pub mod code;
pub mod digest;
pub mod mail;
pub mod plugin;
pub mod secrets;
pub mod serve;
pub mod states;
pub mod storage;
