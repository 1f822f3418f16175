//! Build orchestration: `cargo xtask test` runs everything CI runs, installing what is missing.

mod postgres;
mod web;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Whether xtask runs as root (then apt-get and initdb are run directly).
pub(crate) fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Installs Debian packages (as root, or through `sudo -n`).
pub(crate) fn apt_install(packages: &[&str]) -> Result<(), String> {
    eprintln!("xtask: installing Debian packages {}", packages.join(" "));
    let apt = || {
        let mut c = if is_root() {
            Command::new("apt-get")
        } else {
            let mut c = Command::new("sudo");
            c.args(["-n", "apt-get"]);
            c
        };
        c.env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(apt().arg("update"))?;
    run(apt()
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages))
}

/// Runs `cmd`, echoing it; an error names it and its exit status.
pub(crate) fn run(cmd: &mut Command) -> Result<(), String> {
    eprintln!("xtask: {cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed ({status})"))
    }
}

/// The cargo that runs xtask, in the repository root.
pub(crate) fn cargo() -> Command {
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.current_dir(web::root());
    c
}

/// The release `matkhau` binary that `cargo test --release` and `cargo build --release` make.
fn host_binary() -> PathBuf {
    web::target_dir().join("release/matkhau")
}

/// Installs Debian's Chromium when it is missing (the browser tests drive it).
fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() {
        Ok(())
    } else {
        apt_install(&["chromium"])
    }
}

const CHROMIUM: &str = "/usr/bin/chromium";

/// FreeRADIUS for the VPN sign-in tests (`host/tests/radius.rs` starts a private one on
/// loopback with `deploy/freeradius/`): the server, its `rest` module and `radclient`.
fn ensure_freeradius() -> Result<(), String> {
    let present = ["/usr/sbin/freeradius", "/usr/bin/radclient"]
        .iter()
        .all(|p| Path::new(p).exists())
        && Path::new("/usr/lib/freeradius/rlm_rest.so").exists();
    if present {
        return Ok(());
    }
    apt_install(&["freeradius", "freeradius-rest", "freeradius-utils"])?;
    // Where the package started the system's own server, stop it: the tests run their own.
    let _ = Command::new("systemctl")
        .args(["disable", "--now", "freeradius"])
        .output();
    Ok(())
}

fn test() -> Result<(), String> {
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    // The browser bundle first: it installs wasm-bindgen's CLI, Node packages and the wasm32
    // target when they are missing. core for wasm32 is also built (as the policy plug-in) by
    // host/build.rs during clippy and test.
    let bundle = web::build()?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--exclude",
        "matkhau-web",
        "--all-targets",
        "--release",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The Yew portal only runs in a browser: it is linted for wasm32, with the widget's engine.
    run(cargo().args([
        "clippy",
        "-p",
        "matkhau-web",
        "-p",
        "matkhau-wasm",
        "--target",
        web::TARGET,
        "--profile",
        "web",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The host's API tests run against SQLite and a real PostgreSQL server, the VPN sign-in
    // tests against a real FreeRADIUS.
    ensure_freeradius()?;
    let pg = postgres::Postgres::start()?;
    eprintln!("xtask: MATKHAU_TEST_POSTGRES={}", pg.url);
    let tested = run(cargo()
        .args([
            "test",
            "--workspace",
            "--exclude",
            "matkhau-web",
            "--release",
        ])
        .env("MATKHAU_TEST_POSTGRES", &pg.url));
    drop(pg);
    tested?;
    browser_tests(&bundle)
}

/// The end-to-end tests in headless Chromium (Debian's package, driven by playwright-core)
/// against `matkhau serve` with the bundle.
fn browser_tests(bundle: &Path) -> Result<(), String> {
    ensure_chromium()?;
    web::node_tools()?;
    let root = web::root();
    run(Command::new("node")
        .args(["--test", "--test-concurrency=1"])
        .arg(root.join("tests/browser"))
        .env("MATKHAU_BIN", host_binary())
        .env("MATKHAU_WEB_DIR", bundle)
        .env(
            "MATKHAU_ARTIFACTS",
            web::target_dir().join("browser-artifacts"),
        )
        .env("CHROMIUM", CHROMIUM)
        .current_dir(&root))
}

/// `cargo xtask web-bench`: sizes, time to first feedback and per-keystroke evaluation time of
/// the browser build in Chromium (tests/browser/measure.mjs; figures in docs/web.md).
fn web_bench() -> Result<(), String> {
    let bundle = web::build()?;
    run(cargo().args(["build", "--release", "-p", "matkhau-host"]))?;
    ensure_chromium()?;
    run(Command::new("node")
        .arg(web::root().join("tests/browser/measure.mjs"))
        .env("MATKHAU_WEB_DIR", &bundle)
        .env("MATKHAU_BIN", host_binary())
        .env(
            "MATKHAU_ARTIFACTS",
            web::target_dir().join("browser-artifacts"),
        )
        .env("CHROMIUM", CHROMIUM))
}

/// `cargo xtask serve [ARGS]`: builds the browser bundle and the host, then runs
/// `matkhau serve --web-dir target/web ARGS`.
fn serve(args: &[String]) -> Result<(), String> {
    let bundle = web::build()?;
    run(cargo()
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
        .args(args))
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
