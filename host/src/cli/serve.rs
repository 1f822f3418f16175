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
    /// Bearer token for the admin routes (/v1/admin/...), at least 32 characters. There is no
    /// default: without a token the admin routes are not served at all. Prefer
    /// --admin-token-file or the environment: a command line shows in `ps`.
    #[arg(long, env = "MATKHAU_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// File holding the admin token (its first line).
    #[arg(
        long,
        env = "MATKHAU_ADMIN_TOKEN_FILE",
        value_name = "FILE",
        conflicts_with = "admin_token"
    )]
    pub admin_token_file: Option<std::path::PathBuf>,
    /// Bearer token of the portal back end, at least 32 characters: it may report activity
    /// (POST /v1/accounts/{username}/activity) and nothing else. The admin token may too.
    #[arg(long, env = "MATKHAU_PORTAL_TOKEN", hide_env_values = true)]
    pub portal_token: Option<String>,
    /// File holding the portal back end's token (its first line).
    #[arg(
        long,
        env = "MATKHAU_PORTAL_TOKEN_FILE",
        value_name = "FILE",
        conflicts_with = "portal_token"
    )]
    pub portal_token_file: Option<std::path::PathBuf>,
    /// Bearer token of the RADIUS server (FreeRADIUS's rest module, `deploy/freeradius/`), at
    /// least 32 characters: it may ask POST /v1/radius/authenticate and nothing else. Without
    /// it that route is not served.
    #[arg(long, env = "MATKHAU_RADIUS_TOKEN", hide_env_values = true)]
    pub radius_token: Option<String>,
    /// File holding the RADIUS server's token (its first line).
    #[arg(
        long,
        env = "MATKHAU_RADIUS_TOKEN_FILE",
        value_name = "FILE",
        conflicts_with = "radius_token"
    )]
    pub radius_token_file: Option<std::path::PathBuf>,
    /// Serve /metrics on this address only (not on --listen), e.g. 127.0.0.1:9090.
    #[arg(long, env = "MATKHAU_METRICS_LISTEN", value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
    /// Seconds between sweeps (inactivity locks, expiry warnings); 0 turns the periodic sweep
    /// off (run `matkhau sweep` from cron instead).
    #[arg(long, env = "MATKHAU_SWEEP_INTERVAL", default_value_t = 3600)]
    pub sweep_interval: u64,
    /// Failed logins from one client address per 15 minutes before it is throttled
    /// (`429 login.throttled`); attempts under way count.
    #[arg(long, env = "MATKHAU_ADDRESS_MAX_FAILURES", default_value_t = 50)]
    pub address_max_failures: i64,
    /// Password attempts (logins, changes, registrations) per minute from one client address;
    /// past it `429 request.throttled`; 0 turns it off. Behind a portal back end, set
    /// --trust-forwarded-for so each citizen's address counts, not the back end's.
    #[arg(
        long,
        env = "MATKHAU_ADDRESS_RATE",
        default_value_t = 60,
        value_name = "PER_MINUTE"
    )]
    pub address_rate: u32,
    /// How many of those may come at once.
    #[arg(long, env = "MATKHAU_ADDRESS_BURST", default_value_t = 30)]
    pub address_burst: u32,
    /// Password attempts (logins and changes, right or wrong) per minute for one username;
    /// past it `429 request.throttled`; 0 turns it off.
    #[arg(
        long,
        env = "MATKHAU_ACCOUNT_RATE",
        default_value_t = 10,
        value_name = "PER_MINUTE"
    )]
    pub account_rate: u32,
    /// How many of those may come at once.
    #[arg(long, env = "MATKHAU_ACCOUNT_BURST", default_value_t = 10)]
    pub account_burst: u32,
    /// Take the client address from the last X-Forwarded-For entry (only behind a proxy or a
    /// portal back end that sets it).
    #[arg(long, env = "MATKHAU_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// The portal pages and widget package built by `cargo xtask web`, served at `/`, `/app/`
    /// and `/widget/`.
    #[arg(long, env = "MATKHAU_WEB_DIR", default_value = env!("MATKHAU_DEFAULT_WEB_DIR"))]
    pub web_dir: std::path::PathBuf,
    /// Seconds a client has to send a request's whole header; a slower or half-open connection
    /// is closed.
    #[arg(
        long,
        env = "MATKHAU_HEADER_TIMEOUT",
        default_value_t = 10,
        value_name = "SECONDS"
    )]
    pub header_timeout: u64,
    /// Seconds a request may take, reading its body included (then `408 request.timeout`).
    #[arg(
        long,
        env = "MATKHAU_REQUEST_TIMEOUT",
        default_value_t = 30,
        value_name = "SECONDS"
    )]
    pub request_timeout: u64,
    /// Connections open at once; more are closed at once [default: three quarters of the
    /// open-file limit less 64, at most 4096].
    #[arg(long, env = "MATKHAU_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<usize>,
    /// Connections open at once from one client address.
    #[arg(
        long,
        env = "MATKHAU_MAX_CONNECTIONS_PER_ADDRESS",
        default_value_t = 64,
        value_name = "N"
    )]
    pub max_connections_per_address: usize,
    /// Seconds requests in flight may take to finish at shutdown (SIGTERM) before their
    /// connections are closed (below the 30 s grace period of most orchestrators).
    #[arg(
        long,
        env = "MATKHAU_SHUTDOWN_DRAIN",
        default_value_t = 20,
        value_name = "SECONDS"
    )]
    pub shutdown_drain: u64,
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

/// Shortest token accepted: a guessable token is worse than none.
pub const MIN_TOKEN_CHARS: usize = 32;

/// A token given inline or in a file (its first line), at least [`MIN_TOKEN_CHARS`] long.
fn token(
    which: &str,
    given: &Option<String>,
    file: &Option<std::path::PathBuf>,
) -> Result<Option<String>, String> {
    let token = match (given, file) {
        (Some(t), _) => t.clone(),
        (None, Some(path)) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the {which} token file {}: {e}", path.display()))?
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string(),
        (None, None) => return Ok(None),
    };
    if token.chars().count() < MIN_TOKEN_CHARS {
        return Err(format!(
            "the {which} token has fewer than {MIN_TOKEN_CHARS} characters: use a random one, \
             e.g. `openssl rand -hex 32`"
        ));
    }
    Ok(Some(token))
}

/// The connection limits the options give (see [`crate::serve::connections`]).
fn connection_limits(args: &ServeArgs) -> crate::serve::connections::Limits {
    use crate::serve::connections::{connections_for, descriptor_limit};
    let fitting = descriptor_limit().map_or(1024, |d| connections_for(d).min(4096));
    let max = args.max_connections.unwrap_or(fitting);
    if max > fitting {
        eprintln!(
            "matkhau: --max-connections {max} is more than the open-file limit leaves room for \
             ({fitting}); raise the limit (ulimit -n, LimitNOFILE=)"
        );
    }
    crate::serve::connections::Limits {
        header_timeout: Duration::from_secs(args.header_timeout.max(1)),
        max_connections: max.max(1),
        max_per_address: args.max_connections_per_address.max(1),
        drain: Duration::from_secs(args.shutdown_drain),
    }
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
            address_rate_per_minute: args.address_rate,
            address_burst: args.address_burst,
            account_rate_per_minute: args.account_rate,
            account_burst: args.account_burst,
            ..Config::default()
        };
        let service = Arc::new(args.service.open(&args.plugin, hasher, config).await?);
        let options = crate::serve::Options {
            listen: args.listen,
            admin_token: token("admin", &args.admin_token, &args.admin_token_file)?,
            portal_token: token("portal", &args.portal_token, &args.portal_token_file)?,
            radius_token: token("RADIUS", &args.radius_token, &args.radius_token_file)?,
            metrics_listen: args.metrics_listen,
            sweep_every: (args.sweep_interval > 0)
                .then(|| Duration::from_secs(args.sweep_interval)),
            trust_forwarded_for: args.trust_forwarded_for,
            web_dir: args.web_dir.clone(),
            plugin: args.plugin.source(),
            pin: args.plugin.plugin_sha256.clone(),
            connections: connection_limits(args),
            request_timeout: Duration::from_secs(args.request_timeout.max(1)),
        };
        crate::serve::serve(options, service).await
    })
}
