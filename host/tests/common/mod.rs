//! Runs the real `matkhau` binary for the integration tests.

#![allow(dead_code)] // each test file uses part of this

/// `on_both!(test_a, test_b)`: each `fn test_a(Backend)` of the file as a test on SQLite
/// (`sqlite::test_a`) and on PostgreSQL (`postgres::test_a`).
#[allow(unused_macros)] // each test file uses part of this
macro_rules! on_both {
    ($($name:ident),*) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(super::Backend::Postgres) } )*
        }
    };
}

pub mod db;
pub mod mail;
pub mod server;

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Compiled plug-ins shared by every test process (the first one compiles, the rest load).
pub const PLUGIN_CACHE: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/plugin-cache");

/// The secret file every test process shares (the plug-in cache's entries are authenticated
/// with its key, so they share the cache too).
pub const SECRET_FILE: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/secret.json");

/// The key of the tests' plug-in cache.
pub fn cache_key() -> String {
    matkhau_host::secrets::Secrets::load_or_create(std::path::Path::new(SECRET_FILE))
        .expect("the tests' secret file")
        .plugin_cache_key
}

/// The `matkhau` binary with the tests' plug-in cache and secret file.
pub fn matkhau() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_matkhau"));
    c.env("MATKHAU_PLUGIN_CACHE", PLUGIN_CACHE);
    c.env("MATKHAU_SECRET_FILE", SECRET_FILE);
    c
}

/// `matkhau check ARGS` with `input` on standard input.
pub fn run_check(args: &[&str], input: &[u8]) -> Output {
    let mut child = matkhau()
        .arg("check")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start matkhau");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait for matkhau")
}
