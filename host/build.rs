//! Builds the default policy plug-in (`plugin/` for `wasm32-unknown-unknown`, profile `plugin`) and
//! hands its path to the host as `MATKHAU_PLUGIN_WASM`, so `cargo run` embeds exactly the module
//! that `matkhau plugin export` writes out. The nested cargo uses its own target directory inside
//! the shared one (`target/plugin-wasm`): a build script may not wait on its own build directory.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-unknown-unknown";

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest_dir
        .parent()
        .expect("host/ is inside the workspace");
    for path in [
        "plugin",
        "abi",
        "core",
        "third_party/zxcvbn",
        "Cargo.toml",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(path).display());
    }
    println!("cargo:rerun-if-env-changed=MATKHAU_PLUGIN_TARGET_DIR");
    println!("cargo:rerun-if-env-changed=CARGO_HOME");

    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target_dir = env::var_os("MATKHAU_PLUGIN_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir_of(root).join("plugin-wasm"));
    ensure_target();

    let mut build = Command::new(&cargo);
    build
        .current_dir(root)
        .args([
            "build",
            "--locked",
            "--package",
            "matkhau-plugin",
            "--profile",
            "plugin",
        ])
        .args(["--target", TARGET, "--target-dir"])
        .arg(&target_dir);
    // What cargo sets for this build script is about the host build, not the nested one: flags,
    // wrappers (clippy-driver) and the target of the outer build must not leak in. The jobserver
    // (CARGO_MAKEFLAGS) is kept so the nested build shares the outer build's job slots.
    for (key, _) in env::vars_os() {
        let key = key.to_string_lossy();
        let leaks = key.starts_with("CARGO_CFG_")
            || key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_FEATURE_")
            || key.starts_with("DEP_")
            || matches!(
                key.as_ref(),
                "CARGO_ENCODED_RUSTFLAGS"
                    | "RUSTFLAGS"
                    | "RUSTC_WRAPPER"
                    | "RUSTC_WORKSPACE_WRAPPER"
                    | "CARGO_TARGET_DIR"
                    | "CARGO_BUILD_TARGET"
                    | "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "OUT_DIR"
                    | "TARGET"
                    | "HOST"
                    | "PROFILE"
                    | "OPT_LEVEL"
                    | "DEBUG"
                    | "NUM_JOBS"
                    | "RUSTC_LINKER"
            );
        if leaks {
            build.env_remove(key.as_ref());
        }
    }
    // Reproducible bytes: paths of dependency sources (panic locations) are written relative to a
    // fixed prefix, so the plug-in's SHA-256 does not depend on where cargo keeps its registry.
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        let flag = format!("--remap-path-prefix={}=/cargo", home.display());
        build.env("CARGO_ENCODED_RUSTFLAGS", flag);
    }
    let status = build
        .status()
        .unwrap_or_else(|e| panic!("could not run cargo to build the policy plug-in: {e}"));
    assert!(
        status.success(),
        "building the policy plug-in (matkhau-plugin for {TARGET}) failed"
    );
    let wasm = target_dir
        .join(TARGET)
        .join("plugin")
        .join("matkhau_plugin.wasm");
    assert!(
        wasm.is_file(),
        "the plug-in build produced no {}",
        wasm.display()
    );
    println!("cargo:rustc-env=MATKHAU_PLUGIN_WASM={}", wasm.display());
    // Where `cargo xtask web` puts the portal and widget bundle: the default of `--web-dir`.
    println!(
        "cargo:rustc-env=MATKHAU_DEFAULT_WEB_DIR={}",
        target_dir_of(root).join("web").display()
    );
}

/// The workspace's target directory: `CARGO_TARGET_DIR` when set, else `<root>/target`.
fn target_dir_of(root: &Path) -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        }
        None => root.join("target"),
    }
}

/// Installs the wasm32 standard library through rustup when it is missing (a fresh machine with
/// only the Rust toolchain); without rustup the build fails below with cargo's own message.
fn ensure_target() {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let installed = Command::new(&rustc)
        .args(["--print", "target-libdir", "--target", TARGET])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim().to_string()))
        .is_some_and(|dir| dir.is_dir());
    if !installed {
        let _ = Command::new("rustup")
            .args(["target", "add", TARGET])
            .status();
    }
}
