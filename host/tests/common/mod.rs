//! Runs the real `matkhau check` binary for the integration tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// `matkhau check ARGS` with `input` on standard input.
pub fn run_check(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_matkhau"))
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
