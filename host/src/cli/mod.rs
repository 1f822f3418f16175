//! Sub-commands of the `matkhau` binary.

pub mod breach;
pub mod check;
pub mod leaked;
pub mod plugin;
pub mod policy;
pub mod report;
pub mod serve;
pub mod service;
pub mod sweep;

use crate::code::Coded;
use crate::plugin::{Cache, Engine, LoadError, LoadOptions, Runtime, Source};
use crate::secrets::Secrets;
use clap::Args;
use std::path::PathBuf;

/// Which policy plug-in and policy to use (every command that decides anything takes these).
#[derive(Args, Clone, Debug)]
pub struct PluginArgs {
    /// Policy plug-in (.wasm) to load instead of the embedded one.
    #[arg(long, env = "MATKHAU_POLICY_PLUGIN", value_name = "FILE")]
    pub policy_plugin: Option<PathBuf>,
    /// Refuse the plug-in unless its SHA-256 (hex) is this.
    #[arg(long, env = "MATKHAU_PLUGIN_SHA256", value_name = "HEX")]
    pub plugin_sha256: Option<String>,
    /// Where compiled plug-ins are cached [default: $XDG_CACHE_HOME/matkhau/plugins or
    /// ~/.cache/matkhau/plugins].
    #[arg(long, env = "MATKHAU_PLUGIN_CACHE", value_name = "DIR")]
    pub plugin_cache: Option<PathBuf>,
    /// Compile the plug-in on every start instead of caching it.
    #[arg(long, env = "MATKHAU_NO_PLUGIN_CACHE")]
    pub no_plugin_cache: bool,
    /// Policy file (JSON); fields left out take the regulation's defaults.
    #[arg(long, env = "MATKHAU_POLICY", value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// The service's secrets (the keys of failed-login fingerprints, the leak blocklist and the
    /// plug-in cache), readable by the service's user only; created when missing. Every replica
    /// of one database needs the same file [default: $XDG_CONFIG_HOME/matkhau/secret.json or
    /// ~/.config/matkhau/secret.json].
    #[arg(long, env = "MATKHAU_SECRET_FILE", value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
}

impl PluginArgs {
    /// The plug-in these options name.
    pub fn source(&self) -> Source {
        match &self.policy_plugin {
            Some(path) => Source::File(path.clone()),
            None => Source::Embedded,
        }
    }

    /// The secret file these options name.
    pub fn secret_path(&self) -> PathBuf {
        self.secret_file
            .clone()
            .unwrap_or_else(crate::secrets::default_path)
    }

    /// The runtime with its cache, whose entries are authenticated with `cache_key`.
    pub fn runtime(&self, cache_key: &str) -> Result<std::sync::Arc<Runtime>, String> {
        let cache = if self.no_plugin_cache {
            None
        } else {
            match self.plugin_cache.clone().or_else(Cache::default_dir) {
                Some(dir) => match Cache::new(&dir, cache_key) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        eprintln!("matkhau: {e}; continuing without a plug-in cache");
                        None
                    }
                },
                None => None,
            }
        };
        Runtime::new(cache)
    }

    /// Loads the plug-in and the policy for a command without a database: the cache key comes
    /// from the secret file (created when missing; without it, no cache).
    pub fn open(&self) -> Result<Engine, String> {
        match Secrets::load_or_create(&self.secret_path()) {
            Ok(secrets) => self.open_with(&secrets),
            Err(e) => {
                eprintln!(
                    "matkhau: {}; continuing without a plug-in cache",
                    e.describe()
                );
                let no_cache = PluginArgs {
                    no_plugin_cache: true,
                    ..self.clone()
                };
                no_cache.open_with(&Secrets::unused())
            }
        }
    }

    /// Loads the plug-in and the policy, the cache keyed by `secrets`.
    pub fn open_with(&self, secrets: &Secrets) -> Result<Engine, String> {
        let policy = match &self.policy {
            None => None,
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read policy file {}: {e}", path.display()))?,
            ),
        };
        let options = LoadOptions {
            expected_sha256: self.plugin_sha256.clone(),
            policy,
            ..LoadOptions::default()
        };
        let runtime = self.runtime(&secrets.plugin_cache_key)?;
        Engine::open(runtime, &self.source(), options).map_err(|e| match (&self.policy, &e) {
            (Some(path), LoadError::PolicyInvalid { .. }) => {
                format!("{}: {}", path.display(), e.describe())
            }
            _ => e.describe(),
        })
    }
}
