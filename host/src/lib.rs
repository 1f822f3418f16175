//! matkhau's host: the policy plug-in runtime (wasmtime) and the `matkhau` command line.
//! Password decisions are never made here: they are asked of the plug-in (DESIGN.md).

#![warn(missing_docs)]

pub mod cli;
pub mod plugin;
pub mod serve;
