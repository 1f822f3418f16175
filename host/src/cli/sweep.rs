//! `matkhau sweep`: applies the inactivity and expiry rules once (what `serve` does
//! periodically), for operators and cron. `--as-of DATE --dry-run` shows what would happen.

use super::service::ServiceArgs;
use super::PluginArgs;
use crate::accounts::Config;
use crate::accounts::{HashParams, Hasher};
use crate::clock::{parse_day, unix_now};
use crate::code::Coded;
use clap::Args;

/// Options of `matkhau sweep`.
#[derive(Args, Clone, Debug)]
pub struct SweepArgs {
    /// Apply the rules as of this day (YYYY-MM-DD, midnight UTC) or Unix time [default: now].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Report what would be done; change and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Database and mail.
    #[command(flatten)]
    pub service: ServiceArgs,
    /// Plug-in and policy.
    #[command(flatten)]
    pub plugin: PluginArgs,
}

/// Runs one sweep and prints its report (JSON).
pub fn run(args: &SweepArgs) -> Result<(), String> {
    let as_of = match &args.as_of {
        Some(s) => parse_day(s).map_err(|e| format!("--as-of: {e}"))?,
        None => unix_now(),
    };
    // The sweep hashes nothing; one worker at the minimum cost satisfies the service.
    let hasher = Hasher::new(HashParams::default(), 1, 8)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let service = args
            .service
            .open(&args.plugin, hasher, Config::default())
            .await?;
        let report = service
            .sweep(as_of, args.dry_run, unix_now())
            .await
            .map_err(|e| e.describe())?;
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        );
        Ok(())
    })
}
