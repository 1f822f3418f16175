//! Build orchestration: `cargo xtask test` runs everything CI runs, installing what is missing.

mod postgres;
mod web;

use std::process::{Command, ExitCode};

/// Installs Debian packages (as root, or through `sudo -n`).
pub(crate) fn apt_install(packages: &[&str]) -> Result<(), String> {
    eprintln!("xtask: installing Debian packages {}", packages.join(" "));
    let (program, prefix): (&str, &[&str]) = if postgres::is_root() {
        ("apt-get", &[])
    } else {
        ("sudo", &["-n", "apt-get"])
    };
    let install = [&["install", "-y", "--no-install-recommends"][..], packages].concat();
    for args in [&["update"][..], &install[..]] {
        let status = Command::new(program)
            .args(prefix)
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("cannot run apt-get: {e}"))?;
        if !status.success() {
            return Err(format!("apt-get {} failed ({status})", args.join(" ")));
        }
    }
    Ok(())
}

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
    // The browser bundle first: it installs wasm-bindgen's CLI, Node packages and the wasm32
    // target when they are missing. core for wasm32 is also built (as the policy plug-in) by
    // host/build.rs during clippy and test.
    let bundle = web::build()?;
    run(
        &cargo,
        &[
            "clippy",
            "--workspace",
            "--exclude",
            "matkhau-web",
            "--all-targets",
            "--release",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // The Yew portal only runs in a browser: it is linted for wasm32, with the widget's engine.
    run(
        &cargo,
        &[
            "clippy",
            "-p",
            "matkhau-web",
            "-p",
            "matkhau-wasm",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "web",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // The host's API tests run against SQLite and a real PostgreSQL server.
    let pg = postgres::Postgres::start()?;
    eprintln!("xtask: MATKHAU_TEST_POSTGRES={}", pg.url);
    let status = Command::new(&cargo)
        .args([
            "test",
            "--workspace",
            "--exclude",
            "matkhau-web",
            "--release",
        ])
        .env("MATKHAU_TEST_POSTGRES", &pg.url)
        .status()
        .map_err(|e| format!("cannot start cargo test: {e}"))?;
    drop(pg);
    if !status.success() {
        return Err(format!("`cargo test` failed ({status})"));
    }
    browser_tests(&bundle)
}

/// The end-to-end tests in headless Chromium (Debian's package, driven by playwright-core)
/// against `matkhau serve` with the bundle; installs Chromium when it is missing.
fn browser_tests(bundle: &std::path::Path) -> Result<(), String> {
    if !std::path::Path::new("/usr/bin/chromium").exists() {
        apt_install(&["chromium"])?;
    }
    web::node_tools()?;
    let root = web::root();
    let host = root.join("target/release/matkhau");
    let status = Command::new("node")
        .args(["--test", "--test-concurrency=1"])
        .arg(root.join("tests/browser"))
        .env("MATKHAU_BIN", &host)
        .env("MATKHAU_WEB_DIR", bundle)
        .env("MATKHAU_ARTIFACTS", root.join("target/browser-artifacts"))
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot start node: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the browser tests failed ({status})"))
    }
}

/// `cargo xtask web-bench`: sizes, time to first feedback and per-keystroke evaluation time of
/// the browser build in Chromium (tests/browser/measure.mjs; figures in docs/web.md).
fn web_bench() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let bundle = web::build()?;
    run(&cargo, &["build", "--release", "-p", "matkhau-host"])?;
    if !std::path::Path::new("/usr/bin/chromium").exists() {
        apt_install(&["chromium"])?;
    }
    let root = web::root();
    let status = Command::new("node")
        .arg(root.join("tests/browser/measure.mjs"))
        .env("MATKHAU_WEB_DIR", &bundle)
        .env("MATKHAU_BIN", root.join("target/release/matkhau"))
        .status()
        .map_err(|e| format!("cannot start node: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the measurement failed ({status})"))
    }
}

/// `cargo xtask serve [ARGS]`: builds the browser bundle and the host, then runs
/// `matkhau serve --web-dir target/web ARGS`.
fn serve(args: &[String]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let bundle = web::build()?;
    let status = Command::new(&cargo)
        .current_dir(web::root())
        .args([
            "run",
            "--release",
            "-p",
            "matkhau-host",
            "--",
            "serve",
            "--web-dir",
        ])
        .arg(&bundle)
        .args(args)
        .status()
        .map_err(|e| format!("cannot start cargo run: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("matkhau serve ended ({status})"))
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().cloned().unwrap_or_default();
    let result = match task.as_str() {
        "test" => test(),
        "web" => web::build().map(|_| ()),
        "browser-test" => browser_tests(&web::out_dir()),
        "web-bench" => web_bench(),
        "serve" => serve(&args[1..]),
        "postgres" => postgres_shell(),
        _ => Err(
            "usage: cargo xtask test | web | browser-test | web-bench | serve [ARGS] | postgres"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
