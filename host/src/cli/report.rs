//! `matkhau report`: the abnormal-account signals the letters ask the IT centre to report.

use super::service::ServiceArgs;
use super::PluginArgs;
use crate::accounts::report::Thresholds;
use crate::accounts::{Config, HashParams, Hasher};
use crate::clock::unix_now;
use crate::code::Coded;
use clap::Args;

/// Options of `matkhau report`.
#[derive(Args, Clone, Debug)]
pub struct ReportArgs {
    /// The period, in days back from now.
    #[arg(long, default_value_t = 30)]
    pub days: i64,
    /// Distinct client addresses that make one key's failed logins abnormal.
    #[arg(long, default_value_t = 5)]
    pub min_addresses: i64,
    /// Report accounts without any login this many days after creation.
    #[arg(long, default_value_t = 30)]
    pub never_used_days: i64,
    /// Database and mail.
    #[command(flatten)]
    pub service: ServiceArgs,
    /// Plug-in and policy.
    #[command(flatten)]
    pub plugin: PluginArgs,
}

/// Prints the signals (JSON).
pub fn run(args: &ReportArgs) -> Result<(), String> {
    let hasher = Hasher::new(HashParams::default(), 1, 8)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let service = args
            .service
            .open(&args.plugin, hasher, Config::default())
            .await?;
        let t = Thresholds {
            days: args.days,
            min_addresses: args.min_addresses,
            never_used_days: args.never_used_days,
        };
        let signals = service
            .signals(&t, unix_now())
            .await
            .map_err(|e| e.describe())?;
        println!(
            "{}",
            serde_json::to_string_pretty(&signals).map_err(|e| e.to_string())?
        );
        Ok(())
    })
}
