//! Runs the real `matkhau` binary for the integration tests.

#![allow(dead_code)] // each test file uses part of this

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
