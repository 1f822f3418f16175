//! `matkhau leaked import FILE`: the security team's intake of a leaked-account report (what
//! `POST /v1/admin/leaked` does, for reports of any size), with a progress bar, a summary, and
//! the per-account report as CSV or JSON.

use super::service::{HashArgs, ServiceArgs};
use super::PluginArgs;
use crate::accounts::leaked::{parse, Format, Options};
use crate::accounts::{Client, Config};
use crate::clock::unix_now;
use crate::code::Coded;
use crate::states::Actor;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use matkhau_abi::Locale;
use std::path::PathBuf;

/// `matkhau leaked …`.
#[derive(Subcommand, Clone, Debug)]
pub enum LeakedCommand {
    /// Import a report of `username` or `username:password` lines (or CSV): verify, reset, lock,
    /// blocklist; importing it again changes nothing.
    Import(ImportArgs),
}

/// Options of `matkhau leaked import`.
#[derive(Args, Clone, Debug)]
pub struct ImportArgs {
    /// The report (`-` for standard input).
    pub file: PathBuf,
    /// `lines` or `csv` [default: `.csv` files are CSV, others guessed from the first line].
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// The report's name in the audit log [default: the file's name].
    #[arg(long)]
    pub source: Option<String>,
    /// Report what would be done; change and send nothing (passwords are still verified).
    #[arg(long)]
    pub dry_run: bool,
    /// Write each account's outcome here: `.csv` or `.json` (the written report the letters ask
    /// for; it never holds a password).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Database and mail.
    #[command(flatten)]
    pub service: ServiceArgs,
    /// argon2id parameters for the temporary passwords.
    #[command(flatten)]
    pub hash: HashArgs,
    /// Plug-in and policy.
    #[command(flatten)]
    pub plugin: PluginArgs,
}

/// Runs `matkhau leaked …`.
pub fn run(command: &LeakedCommand) -> Result<(), String> {
    let LeakedCommand::Import(args) = command;
    let bytes = match args.file.to_str() {
        Some("-") => {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            b
        }
        _ => std::fs::read(&args.file)
            .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?,
    };
    let csv_name = args.file.extension().is_some_and(|e| e == "csv");
    let format = match args.format.as_deref() {
        Some(f) => Some(Format::parse(f).ok_or("--format must be lines or csv")?),
        None => csv_name.then_some(Format::Csv),
    };
    let report_format = match &args.report {
        None => None,
        Some(p) => match p.extension().and_then(|e| e.to_str()) {
            Some("csv") => Some(true),
            Some("json") => Some(false),
            _ => return Err("--report must name a .csv or .json file".into()),
        },
    };
    let source = args.source.clone().unwrap_or_else(|| {
        args.file
            .file_name()
            .map_or("stdin".into(), |n| n.to_string_lossy().into_owned())
    });
    let (entries, malformed) = parse(&bytes, format);
    let hasher = args.hash.hasher()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let bar = ProgressBar::new(entries.len() as u64).with_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} accounts {wide_bar} {eta}")
            .map_err(|e| e.to_string())?,
    );
    let report = runtime.block_on(async {
        let service = args
            .service
            .open(&args.plugin, hasher, Config::default())
            .await?;
        let client = Client {
            address: "cli".into(),
            actor: Actor::Admin,
            locale: Locale::Vi,
        };
        let options = Options {
            source,
            dry_run: args.dry_run,
        };
        let tick = || bar.inc(1);
        service
            .import_leaks(entries, malformed, &options, &client, unix_now(), &tick)
            .await
            .map_err(|e| e.describe())
    });
    bar.finish_and_clear();
    let report = report?;
    if let (Some(path), Some(as_csv)) = (&args.report, report_format) {
        let text = match as_csv {
            true => report.to_csv()?,
            false => serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?,
        };
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let prefix = if report.dry_run { "dry run: " } else { "" };
    let total: u64 = report.summary.values().sum();
    eprintln!("{prefix}{total} entries from {}", report.source);
    for (outcome, n) in &report.summary {
        eprintln!("  {outcome:<20} {n}");
    }
    println!(
        "{}",
        serde_json::to_string(&serde_json::json!({"source": report.source, "dry_run": report.dry_run, "summary": report.summary}))
            .map_err(|e| e.to_string())?
    );
    Ok(())
}
