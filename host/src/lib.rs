//! matkhau's host: the policy plug-in runtime (wasmtime), the account service over SQLite or
//! PostgreSQL, its HTTP API, and the `matkhau` command line.
//! Password decisions are never made here: they are asked of the plug-in (DESIGN.md).

#![warn(missing_docs)]

pub mod accounts;
pub mod breach;
pub mod cli;
pub mod mail;
pub mod plugin;
pub mod serve;
pub mod storage;
