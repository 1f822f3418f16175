//! `cargo xtask web`: the browser bundle in `target/web`, served by `matkhau serve`.
//!
//! 1. `matkhau-web` (the Yew portal) and `matkhau-wasm` (the widget's engine) for
//!    `wasm32-unknown-unknown` with the size-first `web` profile;
//! 2. wasm-bindgen's CLI at the exact version of the `wasm-bindgen` crate in Cargo.lock
//!    (installed under `target/tools` when missing);
//! 3. `wasm-opt -Oz` from the npm package `binaryen` (pinned in `tests/browser/package.json`);
//! 4. every page rendered to HTML in both languages (`matkhau-web-render`, Yew's server
//!    renderer, native), the pages' static files, the widget package and its example beside them;
//! 5. every file precompressed as `.br` (brotli 11) and `.gz` (gzip 9), which the host serves
//!    as they are; the sizes go to `target/web/sizes.json`.

use crate::run;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser target.
pub const TARGET: &str = "wasm32-unknown-unknown";

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

/// The workspace's target directory (`CARGO_TARGET_DIR` when set).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => root().join(d),
        None => root().join("target"),
    }
}

/// The bundle's folder.
pub fn out_dir() -> PathBuf {
    target_dir().join("web")
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The version of the `wasm-bindgen` crate in Cargo.lock.
fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = fs::read_to_string(root().join("Cargo.lock")).map_err(|e| e.to_string())?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock names no wasm-bindgen".into())
}

/// wasm-bindgen's CLI at the locked version: from PATH if it matches, else installed once
/// under `target/tools`.
fn wasm_bindgen_cli() -> Result<PathBuf, String> {
    let version = locked_wasm_bindgen()?;
    let wanted = format!("wasm-bindgen {version}");
    let local = target_dir().join("tools/bin/wasm-bindgen");
    for candidate in [local.clone(), PathBuf::from("wasm-bindgen")] {
        if output(Command::new(&candidate).arg("--version")).as_deref() == Some(&wanted) {
            return Ok(candidate);
        }
    }
    // `--locked` fails for this crate (toolchain-notes.md); the version is pinned exactly.
    run(crate::cargo()
        .args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &version,
            "--root",
        ])
        .arg(target_dir().join("tools")))?;
    Ok(local)
}

/// Installs the pinned Node packages (binaryen, playwright-core) when they are missing, and
/// Node itself from Debian when there is none.
pub fn node_tools() -> Result<PathBuf, String> {
    let dir = root().join("tests/browser");
    if output(Command::new("npm").arg("--version")).is_none() {
        crate::apt_install(&["nodejs", "npm"])?;
    }
    let modules = dir.join("node_modules");
    // Every package the lock file names, at its version: a package added since the last
    // install (or a changed lock) installs again.
    let installed = fs::read_to_string(modules.join(".package-lock.json")).unwrap_or_default();
    let wanted = fs::read_to_string(dir.join("package-lock.json")).map_err(|e| e.to_string())?;
    if !same_packages(&installed, &wanted) {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir))?;
    }
    Ok(modules)
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copy {} → {}: {e}", from.display(), to.display()))
}

fn compress(path: &Path) -> Result<(u64, u64, u64), String> {
    let data = fs::read(path).map_err(|e| e.to_string())?;
    let mut br = Vec::new();
    {
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut data.as_slice(), &mut br, &params)
            .map_err(|e| e.to_string())?;
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&data).map_err(|e| e.to_string())?;
    let gz = gz.finish().map_err(|e| e.to_string())?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    fs::write(path.with_file_name(format!("{name}.br")), &br).map_err(|e| e.to_string())?;
    fs::write(path.with_file_name(format!("{name}.gz")), &gz).map_err(|e| e.to_string())?;
    Ok((data.len() as u64, gz.len() as u64, br.len() as u64))
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                files_under(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

/// Installs the wasm32 standard library through rustup when it is missing.
fn ensure_target() -> Result<(), String> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|list| list.lines().any(|l| l.trim() == TARGET));
    if installed {
        Ok(())
    } else {
        run(Command::new("rustup").args(["target", "add", TARGET]))
    }
}

/// Whether npm's record of what it installed (`node_modules/.package-lock.json`) names every
/// package of the lock file at the same version.
fn same_packages(installed: &str, wanted: &str) -> bool {
    // Lines such as `"node_modules/axe-core": {` followed by `"version": "4.14.1",`.
    let packages = |text: &str| -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut lines = text.lines().map(str::trim);
        while let Some(line) = lines.next() {
            if let Some(name) = line.strip_prefix("\"node_modules/") {
                let name = name.split('"').next().unwrap_or_default().to_string();
                if let Some(v) = lines.next().and_then(|l| l.strip_prefix("\"version\": \"")) {
                    out.push((name, v.trim_end_matches(['"', ',']).to_string()));
                }
            }
        }
        out
    };
    let have = packages(installed);
    let want = packages(wanted);
    !want.is_empty() && want.iter().all(|p| have.contains(p))
}

/// Builds the bundle into `target/web`.
pub fn build() -> Result<PathBuf, String> {
    let root = root();
    ensure_target()?;
    let bindgen = wasm_bindgen_cli()?;
    let modules = node_tools()?;
    run(crate::cargo().args([
        "build",
        "--locked",
        "-p",
        "matkhau-web",
        "-p",
        "matkhau-wasm",
        "--target",
        TARGET,
        "--profile",
        "web",
    ]))?;
    let wasm_dir = target_dir().join(TARGET).join("web");
    let out = out_dir();
    let _ = fs::remove_dir_all(&out);
    let jobs = [
        ("matkhau-web.wasm", "app", true),
        ("matkhau_wasm.wasm", "widget", false),
    ];
    for (file, dir, no_types) in jobs {
        let mut cmd = Command::new(&bindgen);
        cmd.args(["--target", "web", "--out-dir"])
            .arg(out.join(dir))
            .arg(wasm_dir.join(file));
        if no_types {
            cmd.arg("--no-typescript");
        }
        run(&mut cmd)?;
        let _ = fs::remove_file(out.join(dir).join(file.replace(".wasm", "_bg.wasm.d.ts")));
        let bg = out.join(dir).join(file.replace(".wasm", "_bg.wasm"));
        run(Command::new(modules.join(".bin/wasm-opt"))
            .arg("-Oz")
            .args(["--strip-debug", "--strip-producers"])
            .arg(&bg)
            .arg("-o")
            .arg(&bg))?;
    }
    for f in ["boot.js", "style.css", "favicon.svg"] {
        copy(&root.join("web/static").join(f), &out.join("app").join(f))?;
    }
    // Every page as HTML (Yew's server renderer, run natively), so the host serves a working
    // form before the module arrives.
    run(crate::cargo()
        .args([
            "run",
            "--locked",
            "--release",
            "-p",
            "matkhau-web",
            "--features",
            "ssr",
            "--bin",
            "matkhau-web-render",
            "--",
        ])
        .arg(&out))?;
    for f in ["matkhau-widget.js", "matkhau-widget.d.ts", "package.json"] {
        copy(
            &root.join("wasm-client/widget").join(f),
            &out.join("widget").join(f),
        )?;
    }
    copy(
        &root.join("wasm-client/README.md"),
        &out.join("widget/README.md"),
    )?;
    for f in ["index.html", "example.js", "example.css"] {
        copy(
            &root.join("wasm-client/example").join(f),
            &out.join("widget/example").join(f),
        )?;
    }

    let mut files = Vec::new();
    files_under(&out, &mut files);
    files.sort();
    let mut rows = Vec::new();
    for f in &files {
        let (raw, gz, br) = compress(f)?;
        let rel = f
            .strip_prefix(&out)
            .unwrap_or(f)
            .to_string_lossy()
            .to_string();
        rows.push(format!(
            "    {{\"file\": \"{rel}\", \"bytes\": {raw}, \"gzip\": {gz}, \"brotli\": {br}}}"
        ));
        eprintln!("xtask: {rel:<40} {raw:>9} B  gzip {gz:>8}  brotli {br:>8}");
    }
    fs::write(
        out.join("sizes.json"),
        format!("{{\"files\": [\n{}\n]}}\n", rows.join(",\n")),
    )
    .map_err(|e| e.to_string())?;
    eprintln!("xtask: the browser bundle is in {}", out.display());
    Ok(out)
}
