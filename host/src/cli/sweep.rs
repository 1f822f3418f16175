//! `matkhau sweep`: applies the inactivity and expiry rules once (what `serve` does
//! periodically), for operators and cron. `--as-of DATE --dry-run` shows what would happen.

use super::service::{HashArgs, ServiceArgs};
use super::PluginArgs;
use crate::accounts::Config;
use crate::plugin::unix_now;
use clap::Args;
use std::sync::Arc;

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

/// `YYYY-MM-DD` (midnight UTC) or Unix seconds.
pub fn parse_as_of(s: &str) -> Result<i64, String> {
    if let Ok(t) = s.parse::<i64>() {
        return Ok(t);
    }
    let bad = || format!("--as-of {s:?}: expected YYYY-MM-DD or Unix seconds");
    let mut parts = s.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let (y, m, d) = (
        y.parse::<i32>().map_err(|_| bad())?,
        m.parse::<u8>().map_err(|_| bad())?,
        d.parse::<u8>().map_err(|_| bad())?,
    );
    let month = time::Month::try_from(m).map_err(|_| bad())?;
    let date = time::Date::from_calendar_date(y, month, d).map_err(|_| bad())?;
    Ok(date.midnight().assume_utc().unix_timestamp())
}

/// Runs one sweep and prints its report (JSON).
pub fn run(args: &SweepArgs) -> Result<(), String> {
    let as_of = match &args.as_of {
        Some(s) => parse_as_of(s)?,
        None => unix_now(),
    };
    let engine = Arc::new(args.plugin.open()?);
    // The sweep hashes nothing; one worker at the minimum cost satisfies the service.
    let hasher = HashArgs {
        argon2_memory_kib: 19456,
        argon2_iterations: 2,
        argon2_parallelism: 1,
        hash_workers: Some(1),
    }
    .hasher()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let service = args.service.open(engine, hasher, Config::default()).await?;
        let report = service
            .sweep(as_of, args.dry_run, unix_now())
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        );
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::parse_as_of("1970-01-02"), Ok(86_400));
        assert_eq!(super::parse_as_of("1700000000"), Ok(1_700_000_000));
        assert!(super::parse_as_of("2026-02-30").is_err());
        assert!(super::parse_as_of("soon").is_err());
    }
}
