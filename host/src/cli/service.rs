//! Options shared by the commands that work on accounts (`serve`, `sweep`): the database, mail,
//! and password hashing.

use super::PluginArgs;
use crate::accounts::{Config, HashParams, Hasher, Service};
use crate::breach::Corpus;
use crate::code::Coded;
use crate::mail::Mailer;
use crate::secrets::Secrets;
use crate::storage::Store;
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

/// Database and mail.
#[derive(Args, Clone, Debug)]
pub struct ServiceArgs {
    /// Database: a SQLite file (`sqlite://FILE` or a path, created when missing) or
    /// `postgres://USER@HOST/DB`.
    #[arg(long, env = "MATKHAU_DATABASE", default_value = "sqlite://matkhau.db")]
    pub database: String,
    /// Most database connections at once (PostgreSQL; SQLite uses one).
    #[arg(long, env = "MATKHAU_DATABASE_CONNECTIONS", default_value_t = 16)]
    pub database_connections: u32,
    /// SMTP server for outgoing mail: `smtp://HOST:PORT` (plain), `smtp://…?tls=required`
    /// (STARTTLS) or `smtps://USER:PASS@HOST`. Without it, mail is written to --outbox.
    #[arg(long, env = "MATKHAU_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Folder for outgoing mail as .eml files, when no --smtp-url is given.
    #[arg(long, env = "MATKHAU_OUTBOX", default_value = "outbox")]
    pub outbox: PathBuf,
    /// Sender of outgoing mail.
    #[arg(
        long,
        env = "MATKHAU_MAIL_FROM",
        default_value = "BHXH matkhau <no-reply@matkhau.localhost>"
    )]
    pub mail_from: String,
    /// Breached-password corpus written by `matkhau breach import`: passwords in it are refused
    /// at registration and change, and must be changed at login (`breached`).
    #[arg(long, env = "MATKHAU_BREACH_CORPUS", value_name = "FILE")]
    pub breach_corpus: Option<PathBuf>,
    /// Seconds a mail delivery may stay under way before its sender counts as stopped: then a
    /// notice is given up (it may have arrived) and a temporary password sent again (at least
    /// 20).
    #[arg(
        long,
        env = "MATKHAU_MAIL_LEASE",
        default_value_t = 600,
        value_name = "SECONDS"
    )]
    pub mail_lease: i64,
    /// The portal's public address (`https://…`), for the link in password-reset mail;
    /// without it the mail carries the code alone, typed on the "Quên mật khẩu?" page.
    #[arg(long, env = "MATKHAU_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// The administrators' address, told (besides the owner) when the sweep revokes an account
    /// whose term ended (`valid_until`).
    #[arg(long, env = "MATKHAU_ADMIN_EMAIL", value_name = "ADDRESS")]
    pub admin_email: Option<String>,
    /// Minutes a mailed password-reset code works.
    #[arg(long, env = "MATKHAU_RESET_MINUTES", default_value_t = 30, value_name = "MINUTES",
        value_parser = clap::value_parser!(i64).range(5..=1440))]
    pub reset_minutes: i64,
    /// Check a SQLite database's integrity at start (`PRAGMA quick_check`: reads the whole
    /// file, about a second per 100 MB) and refuse to start on a damaged one.
    #[arg(long, env = "MATKHAU_CHECK_INTEGRITY")]
    pub check_integrity: bool,
}

/// argon2id parameters and the hashing pool.
#[derive(Args, Clone, Debug)]
pub struct HashArgs {
    /// argon2id memory per hash, KiB (OWASP: 19456 with 2 passes, or more).
    #[arg(long, env = "MATKHAU_ARGON2_MEMORY_KIB", default_value_t = 19456)]
    pub argon2_memory_kib: u32,
    /// argon2id passes.
    #[arg(long, env = "MATKHAU_ARGON2_ITERATIONS", default_value_t = 2)]
    pub argon2_iterations: u32,
    /// argon2id lanes.
    #[arg(long, env = "MATKHAU_ARGON2_PARALLELISM", default_value_t = 1)]
    pub argon2_parallelism: u32,
    /// Hashes computed at once; others wait (peak memory ≈ this × --argon2-memory-kib)
    /// [default: the number of cores].
    #[arg(long, env = "MATKHAU_HASH_WORKERS")]
    pub hash_workers: Option<usize>,
    /// Hashes that may wait for a worker; past that, `503 hash.busy` at once (with
    /// Retry-After), so a burst cannot delay every other login without bound.
    #[arg(long, env = "MATKHAU_HASH_QUEUE", default_value_t = 64)]
    pub hash_queue: usize,
}

impl HashArgs {
    /// The pool these options describe.
    pub fn hasher(&self) -> Result<Hasher, String> {
        let workers = self.hash_workers.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
        });
        Hasher::new(
            HashParams {
                memory_kib: self.argon2_memory_kib,
                iterations: self.argon2_iterations,
                parallelism: self.argon2_parallelism,
            },
            workers,
            self.hash_queue.max(1),
        )
    }
}

/// Files and folders created from now on are readable and writable by this user only.
fn private_umask() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file-creation mask.
    unsafe {
        libc::umask(0o077);
    }
}

impl ServiceArgs {
    /// Opens the database (applying migrations), binds it to the secret file, loads the
    /// plug-in, opens the mailer, and builds the service.
    pub async fn open(
        &self,
        plugin: &PluginArgs,
        hasher: Hasher,
        mut config: Config,
    ) -> Result<Service, String> {
        if self.mail_lease < crate::accounts::mailout::MIN_MAIL_LEASE {
            return Err(format!(
                "--mail-lease must be at least {} seconds (longer than a delivery may take)",
                crate::accounts::mailout::MIN_MAIL_LEASE
            ));
        }
        config.mail_lease = self.mail_lease;
        config.reset_minutes = self.reset_minutes;
        config.admin_email = self.admin_email.clone();
        if let Some(url) = &self.public_url {
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.contains(['#', '?', ' '])
            {
                return Err(
                    "--public-url must be an http(s) address without query or fragment".into(),
                );
            }
            config.public_url = Some(url.trim_end_matches('/').to_string());
        }
        // Everything this process writes (the database, its journal, mail files, the secret
        // file, the plug-in cache) is its user's alone.
        private_umask();
        let store = Store::open(
            &self.database,
            self.database_connections,
            self.check_integrity,
        )
        .await
        .map_err(|e| e.describe())?;
        let secrets = Secrets::bind(&store, &plugin.secret_path())
            .await
            .map_err(|e| e.describe())?;
        let engine = Arc::new(plugin.open_with(&secrets)?);
        let mailer = Mailer::new(self.smtp_url.as_deref(), &self.outbox, &self.mail_from)?;
        let breach = match &self.breach_corpus {
            Some(path) => Some(Arc::new(Corpus::open(path).map_err(|e| e.describe())?)),
            None => None,
        };
        Service::new(store, engine, hasher, mailer, config, breach, &secrets)
            .await
            .map_err(|e| e.describe())
    }
}
