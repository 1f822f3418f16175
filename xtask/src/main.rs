//! Build orchestration: `cargo xtask test` runs everything CI runs, installing what is missing.

mod postgres;

use std::process::{Command, ExitCode};

fn run(program: &str, args: &[&str]) -> Result<(), String> {
    eprintln!("xtask: {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn test() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(&cargo, &["fmt", "--all", "--", "--check"])?;
    // core for wasm32 is built (as the policy plug-in) by host/build.rs during clippy and test;
    // that build script also installs the wasm32 target when it is missing.
    run(
        &cargo,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--release",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // The host's API tests run against SQLite and a real PostgreSQL server.
    let pg = postgres::Postgres::start()?;
    eprintln!("xtask: MATKHAU_TEST_POSTGRES={}", pg.url);
    let status = Command::new(&cargo)
        .args(["test", "--workspace", "--release"])
        .env("MATKHAU_TEST_POSTGRES", &pg.url)
        .status()
        .map_err(|e| format!("cannot start cargo test: {e}"))?;
    drop(pg);
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo test --workspace --release` failed ({status})"
        ))
    }
}

/// `cargo xtask postgres`: starts the tests' PostgreSQL server, prints its URL, and keeps it up
/// until standard input closes (for running single tests by hand).
fn postgres_shell() -> Result<(), String> {
    let pg = postgres::Postgres::start()?;
    println!("MATKHAU_TEST_POSTGRES={}", pg.url);
    let mut sink = String::new();
    while std::io::stdin()
        .read_line(&mut sink)
        .map_err(|e| e.to_string())?
        > 0
    {}
    drop(pg);
    Ok(())
}

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "test" => test(),
        "postgres" => postgres_shell(),
        _ => Err("usage: cargo xtask test | cargo xtask postgres".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
