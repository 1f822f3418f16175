//! `matkhau serve`: the options, and the service they describe handed to `crate::serve`.

use super::service::{HashArgs, ServiceArgs};
use super::PluginArgs;
use crate::accounts::Config;
use clap::Args;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Options of `matkhau serve`.
#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MATKHAU_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Bearer token for the admin routes (/v1/admin/...). There is no default: without a token
    /// the admin routes are not served at all.
    #[arg(long, env = "MATKHAU_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Seconds between sweeps (inactivity locks, expiry warnings); 0 turns the periodic sweep
    /// off (run `matkhau sweep` from cron instead).
    #[arg(long, env = "MATKHAU_SWEEP_INTERVAL", default_value_t = 3600)]
    pub sweep_interval: u64,
    /// Failed logins from one client address per 15 minutes before it is throttled.
    #[arg(long, env = "MATKHAU_ADDRESS_MAX_FAILURES", default_value_t = 50)]
    pub address_max_failures: i64,
    /// Take the client address from the last X-Forwarded-For entry (only behind a proxy or a
    /// portal back end that sets it).
    #[arg(long, env = "MATKHAU_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// The portal pages and widget package built by `cargo xtask web`, served at `/`, `/app/`
    /// and `/widget/`.
    #[arg(long, env = "MATKHAU_WEB_DIR", default_value = env!("MATKHAU_DEFAULT_WEB_DIR"))]
    pub web_dir: std::path::PathBuf,
    /// Database and mail.
    #[command(flatten)]
    pub service: ServiceArgs,
    /// Password hashing.
    #[command(flatten)]
    pub hashing: HashArgs,
    /// Plug-in and policy selection.
    #[command(flatten)]
    pub plugin: PluginArgs,
}

/// Runs the server until SIGINT or SIGTERM.
pub fn run(args: &ServeArgs) -> Result<(), String> {
    let hasher = args.hashing.hasher()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let config = Config {
            address_max_failures: args.address_max_failures,
            ..Config::default()
        };
        let service = Arc::new(args.service.open(&args.plugin, hasher, config).await?);
        let options = crate::serve::Options {
            listen: args.listen,
            admin_token: args.admin_token.clone(),
            sweep_every: (args.sweep_interval > 0)
                .then(|| Duration::from_secs(args.sweep_interval)),
            trust_forwarded_for: args.trust_forwarded_for,
            web_dir: args.web_dir.clone(),
            plugin: args.plugin.source(),
            pin: args.plugin.plugin_sha256.clone(),
        };
        crate::serve::serve(options, service).await
    })
}
