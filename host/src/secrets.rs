//! The service's secrets: the keys of the failed-login fingerprints, of the leak blocklist and of
//! the compiled plug-in cache. They live in one file readable by the service's user only
//! (`--secret-file`, created with mode 0600 on first start), never in the database, so a copy
//! of the database alone cannot be used to test guesses against the fingerprints or the
//! blocklist. The database keeps only a check value, so a replica started with another secret
//! file refuses to run instead of keying differently.

use crate::code::{Code, Coded};
use crate::storage::Store;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The setting that holds the check value of the secrets a database is used with.
const CHECK_SETTING: &str = "secrets_check";
/// Where earlier versions kept the two keys, in the database (moved to the file, then deleted).
const LEGACY_FINGERPRINT: &str = "failure_fingerprint_key";
const LEGACY_BLOCKLIST: &str = "leak_blocklist_key";

/// The keys, as text (their bytes are the MAC keys).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secrets {
    /// Keys the 32-bit fingerprints of wrong passwords.
    pub fingerprint_key: String,
    /// Keys leaked passwords in the blocklist and leak-report entries.
    pub blocklist_key: String,
    /// Authenticates compiled plug-ins in the cache before they are loaded.
    pub plugin_cache_key: String,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(<redacted>)")
    }
}

/// Why the secrets cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The file cannot be read, written, parsed, or is open to others.
    #[error("{0}")]
    File(String),
    /// The file is not the one the database was used with.
    #[error("{0}")]
    Mismatch(String),
    /// The database cannot be asked.
    #[error(transparent)]
    Store(#[from] crate::storage::StoreError),
}

impl Coded for SecretError {
    fn code(&self) -> Code {
        match self {
            SecretError::File(_) => Code::SecretFile,
            SecretError::Mismatch(_) => Code::SecretMismatch,
            SecretError::Store(e) => e.code(),
        }
    }
}

/// The default secret file: `$XDG_CONFIG_HOME/matkhau/secret.json`, else
/// `$HOME/.config/matkhau/secret.json`, else `matkhau-secret.json` here.
pub fn default_path() -> PathBuf {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .map_or_else(
            || PathBuf::from("matkhau-secret.json"),
            |base| base.join("matkhau").join("secret.json"),
        )
}

fn fresh_key() -> Result<String, SecretError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| SecretError::File("no OS randomness".into()))?;
    Ok(hex::encode(bytes))
}

impl Secrets {
    /// Keys nothing will use (a command that runs without a cache or a database).
    pub fn unused() -> Secrets {
        Secrets {
            fingerprint_key: String::new(),
            blocklist_key: String::new(),
            plugin_cache_key: String::new(),
        }
    }

    /// New random keys.
    fn generate() -> Result<Secrets, SecretError> {
        Ok(Secrets {
            fingerprint_key: fresh_key()?,
            blocklist_key: fresh_key()?,
            plugin_cache_key: fresh_key()?,
        })
    }

    /// Reads the file at `path`, refusing one that others may read or write.
    pub fn read(path: &Path) -> Result<Option<Secrets>, SecretError> {
        let file = |m: String| SecretError::File(format!("{}: {m}", path.display()));
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(file(format!("cannot read it: {e}"))),
        };
        check_private(path)?;
        let secrets: Secrets = serde_json::from_str(&text).map_err(|e| {
            file(format!(
                "not a matkhau secret file (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        Ok(Some(secrets))
    }

    /// The secrets at `path`, created (mode 0600, in a 0700 folder) when the file is missing.
    pub fn load_or_create(path: &Path) -> Result<Secrets, SecretError> {
        match Secrets::read(path)? {
            Some(s) => Ok(s),
            None => Secrets::create(path, Secrets::generate()?),
        }
    }

    /// Writes `secrets` to `path` unless another process created it first (then its secrets are
    /// the ones).
    fn create(path: &Path, secrets: Secrets) -> Result<Secrets, SecretError> {
        let file = |m: String| SecretError::File(format!("{}: {m}", path.display()));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            private_dir(dir).map_err(|e| file(format!("cannot create its folder: {e}")))?;
        }
        let text = serde_json::to_string_pretty(&secrets)
            .map_err(|e| file(format!("cannot write it: {e}")))?;
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let written = (|| -> std::io::Result<()> {
            let mut f = private_file(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.write_all(b"\n")?;
            f.sync_all()?;
            // Published whole or not at all: a concurrent start never reads half a file.
            std::fs::hard_link(&tmp, path)
        })();
        let _ = std::fs::remove_file(&tmp);
        match written {
            Ok(()) => Ok(secrets),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Secrets::read(path)?.ok_or_else(|| file("it vanished while being read".into()))
            }
            Err(e) => Err(file(format!("cannot write it: {e}"))),
        }
    }

    /// The key that seals queued mail holding a temporary password (see
    /// [`crate::mail::seal`]), derived from the file's keys (HMAC-SHA-256 under a label of its
    /// own), so the files earlier versions wrote need no new entry.
    pub fn mail_seal_key(&self) -> [u8; 32] {
        self.derived(b"matkhau mail seal key\0")
    }

    /// The key that seals one-time-code secrets in the database (see
    /// [`crate::accounts::otp`]), derived like [`Secrets::mail_seal_key`] under its own label.
    pub fn otp_seal_key(&self) -> [u8; 32] {
        self.derived(b"matkhau otp seal key\0")
    }

    /// The MAC key of stored recovery codes, derived under its own label.
    pub fn recovery_key(&self) -> [u8; 32] {
        self.derived(b"matkhau otp recovery key\0")
    }

    /// HMAC-SHA-256 of the fingerprint key under the blocklist key and `label`.
    fn derived(&self, label: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(self.blocklist_key.as_bytes())
            .expect("HMAC takes any key length");
        mac.update(label);
        mac.update(self.fingerprint_key.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The value the database keeps to recognise these secrets (it reveals nothing of them).
    fn check_value(&self) -> String {
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(self.blocklist_key.as_bytes())
            .expect("HMAC takes any key length");
        mac.update(b"matkhau secrets check\0");
        mac.update(self.fingerprint_key.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The secrets of the database `store`, from the file at `path`:
    /// - a database used before with a secret file needs that same file;
    /// - a database of an earlier version that kept its keys in its settings hands them over to
    ///   a new file (and they are then deleted from it);
    /// - a fresh database starts with the file at `path`, created when missing.
    pub async fn bind(store: &Store, path: &Path) -> Result<Secrets, SecretError> {
        let legacy = (
            store.setting(LEGACY_FINGERPRINT).await?,
            store.setting(LEGACY_BLOCKLIST).await?,
        );
        let check = store.setting(CHECK_SETTING).await?;
        let secrets = match (Secrets::read(path)?, &legacy, &check) {
            (Some(s), _, _) => s,
            (None, _, Some(_)) => {
                return Err(SecretError::Mismatch(format!(
                    "this database was used with a secret file, and {} is not there: copy that \
                     file here (every replica needs the same one) or name it with --secret-file",
                    path.display()
                )))
            }
            (None, (Some(fingerprint), Some(blocklist)), None) => Secrets::create(
                path,
                Secrets {
                    fingerprint_key: fingerprint.clone(),
                    blocklist_key: blocklist.clone(),
                    plugin_cache_key: fresh_key()?,
                },
            )?,
            (None, _, None) => Secrets::create(path, Secrets::generate()?)?,
        };
        if let (Some(f), Some(b)) = &legacy {
            if (f, b) != (&secrets.fingerprint_key, &secrets.blocklist_key) {
                return Err(SecretError::Mismatch(format!(
                    "{} holds other keys than this database: it belongs to another database",
                    path.display()
                )));
            }
        }
        let value = secrets.check_value();
        match &check {
            Some(c) if *c != value => {
                return Err(SecretError::Mismatch(format!(
                    "{} is not the secret file this database was used with",
                    path.display()
                )))
            }
            _ => {
                store
                    .adopt_secrets(
                        CHECK_SETTING,
                        &value,
                        &[LEGACY_FINGERPRINT, LEGACY_BLOCKLIST],
                    )
                    .await?
            }
        }
        Ok(secrets)
    }
}

/// Refuses a file that anyone but its owner, the service's user, may read or write.
fn check_private(path: &Path) -> Result<(), SecretError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path)
            .map_err(|e| SecretError::File(format!("{}: {e}", path.display())))?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me || meta.mode() & 0o077 != 0 {
            return Err(SecretError::File(format!(
                "{} must belong to the service's user and be readable by it only (chmod 600)",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Creates `dir` (and its parents) with mode 0700 when missing.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// A new file only its owner may read or write (it must not exist yet).
pub fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_private_and_never_shown() {
        let dir = std::env::temp_dir().join(format!("matkhau-secrets-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("sub").join("secret.json");
        let a = Secrets::load_or_create(&path).unwrap();
        let b = Secrets::load_or_create(&path).unwrap();
        assert_eq!(a, b, "the second start reads the same keys");
        assert_eq!(a.fingerprint_key.len(), 64);
        assert!(!format!("{a:?}").contains(&a.blocklist_key));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let dir_mode = std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(dir_mode & 0o777, 0o700);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(matches!(Secrets::read(&path), Err(SecretError::File(_))));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
