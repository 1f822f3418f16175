//! The host's policy engine: the active plug-in behind an atomic pointer, and one typed method
//! per operation of the ABI.

use super::{CallError, LoadError, LoadOptions, Plugin, Runtime, EMBEDDED};
use arc_swap::ArcSwap;
use matkhau_abi::lifecycle::Question;
use matkhau_abi::request::Entropy;
use matkhau_abi::{Context, Exposure, Generated, Locale, Request, Verdict};
use std::path::PathBuf;
use std::sync::Arc;

/// Where a plug-in comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The module embedded in this binary at build time.
    Embedded,
    /// A module file (`--policy-plugin`).
    File(PathBuf),
}

impl Source {
    fn read(&self) -> Result<(std::borrow::Cow<'static, [u8]>, String), LoadError> {
        match self {
            Source::Embedded => Ok((EMBEDDED.into(), "embedded".to_string())),
            Source::File(path) => {
                let bytes = std::fs::read(path)
                    .map_err(|e| LoadError::Read(format!("cannot read {}: {e}", path.display())))?;
                Ok((bytes.into(), path.display().to_string()))
            }
        }
    }
}

/// The active plug-in, swappable at run time.
pub struct Engine {
    runtime: Arc<Runtime>,
    options: LoadOptions,
    current: ArcSwap<Plugin>,
}

impl Engine {
    /// Loads `source` (refused unless it matches `options.expected_sha256` when set).
    pub fn open(
        runtime: Arc<Runtime>,
        source: &Source,
        options: LoadOptions,
    ) -> Result<Engine, LoadError> {
        let (bytes, name) = source.read()?;
        let plugin = Plugin::load(&runtime, &bytes, &name, &options)?;
        Ok(Engine {
            runtime,
            options,
            current: ArcSwap::from_pointee(plugin),
        })
    }

    /// The active plug-in (callers in flight keep theirs across a reload).
    pub fn plugin(&self) -> Arc<Plugin> {
        self.current.load_full()
    }

    /// Loads and checks `source`, then makes it the active plug-in; on any error the active one
    /// stays. `expected_sha256` pins the new module.
    pub fn reload(
        &self,
        source: &Source,
        expected_sha256: Option<String>,
    ) -> Result<Arc<Plugin>, LoadError> {
        let (bytes, name) = source.read()?;
        let options = LoadOptions {
            expected_sha256,
            ..self.options.clone()
        };
        let plugin = Arc::new(Plugin::load(&self.runtime, &bytes, &name, &options)?);
        self.current.store(plugin.clone());
        Ok(plugin)
    }

    /// The verdict for `password` for the user `context`, with what the host's breach lookups
    /// found (`exposure`: the verdict then has a `breach` check).
    pub fn evaluate(
        &self,
        password: &str,
        context: Option<&Context>,
        exposure: Option<Exposure>,
        locale: Locale,
        now: i64,
    ) -> Result<Verdict, CallError> {
        let request = Request::evaluate(now, password, context, exposure, locale);
        self.plugin().ask(request)
    }

    /// A strong password from 32 bytes of caller entropy.
    pub fn generate(&self, entropy: [u8; 32], now: i64) -> Result<Generated, CallError> {
        self.plugin().ask(Request::generate(now, Entropy(entropy)))
    }

    /// The answer to a lifecycle question at `now` (Unix seconds), as its type.
    pub fn decide<'a, Q: Question<'a>>(
        &self,
        question: Q,
        now: i64,
    ) -> Result<Q::Answer, CallError> {
        self.plugin().ask(Request::lifecycle(now, question))
    }
}
