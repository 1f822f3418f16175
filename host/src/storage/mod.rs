//! Storage: a SQLite file by default, PostgreSQL by URL, through sqlx's `Any` driver so both run
//! the same queries. The few dialect differences (how a write transaction begins, row locks,
//! `SKIP LOCKED`) live here, and the migrations ship inside the binary.

#[macro_use]
pub mod accounts;
pub mod audit;
pub mod failures;
pub mod leaks;
pub mod mailq;
pub mod otp;
pub mod resets;
pub mod signals;

use crate::code::{Code, Coded};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Row};
use std::fmt;
use std::time::Duration;

/// A transaction on the store.
pub type Tx = sqlx::Transaction<'static, Any>;

/// Which database the store talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// A SQLite file (one writer at a time: transactions begin `IMMEDIATE`).
    Sqlite,
    /// PostgreSQL (row locks, `SKIP LOCKED` for jobs shared by replicas).
    Postgres,
}

/// A storage failure. The message never carries request data (sqlx's messages name tables and
/// constraints, never bound values).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached (connection, pool, I/O).
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// The schema cannot be brought to this version.
    #[error("{0}")]
    Migration(String),
    /// A unique key or a compared version says the row changed or exists.
    #[error("{0}")]
    Conflict(String),
    /// A query failed.
    #[error("a database query failed: {0}")]
    Query(String),
    /// The database cannot be written: a full disk, a read-only file or mount, an I/O error.
    #[error("the database cannot be written: {0}")]
    Write(String),
    /// `--database` names no database this host supports.
    #[error("{0}")]
    Url(String),
    /// A stored value is not one this version can read.
    #[error("a stored value cannot be read: {0}")]
    Corrupt(String),
}

impl Coded for StoreError {
    fn code(&self) -> Code {
        match self {
            StoreError::Unavailable(_) => Code::StorageUnavailable,
            StoreError::Migration(_) => Code::StorageMigration,
            StoreError::Conflict(_) => Code::StorageConflict,
            StoreError::Query(_) => Code::StorageQuery,
            StoreError::Write(_) => Code::StorageWrite,
            StoreError::Url(_) => Code::StorageUrl,
            StoreError::Corrupt(_) => Code::StorageCorrupt,
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(e.to_string())
            }
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Conflict(e.to_string())
            }
            sqlx::Error::Database(d) => d
                .code()
                .and_then(|c| classify(&c, e.to_string()))
                .unwrap_or_else(|| StoreError::Query(e.to_string())),
            _ => StoreError::Query(e.to_string()),
        }
    }
}

/// What a database error code says of the store, when it says something: SQLite's primary codes
/// (the low byte of an extended code) and PostgreSQL's SQLSTATEs.
fn classify(code: &str, message: String) -> Option<StoreError> {
    if code.len() == 5 {
        // A PostgreSQL SQLSTATE: disk full, I/O, a read-only transaction; too many connections,
        // out of memory.
        return match code {
            "53100" | "25006" => Some(StoreError::Write(message)),
            c if c.starts_with("58") => Some(StoreError::Write(message)),
            c if c.starts_with("53") => Some(StoreError::Unavailable(message)),
            _ => None,
        };
    }
    match code.parse::<i64>().ok()? & 0xff {
        // BUSY, LOCKED: another process holds the file.
        5 | 6 => Some(StoreError::Unavailable(message)),
        // READONLY, IOERR, FULL.
        8 | 10 | 13 => Some(StoreError::Write(message)),
        // CORRUPT, NOTADB.
        11 | 26 => Some(StoreError::Corrupt(message)),
        _ => None,
    }
}

impl From<crate::text_enum::Unknown> for StoreError {
    fn from(e: crate::text_enum::Unknown) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

/// A text column read as one of the host's text enums (a state, an actor, an outcome).
pub(crate) fn text<T>(row: &AnyRow, column: usize) -> Result<T, StoreError>
where
    T: std::str::FromStr<Err = crate::text_enum::Unknown>,
{
    let value: String = row.try_get(column)?;
    Ok(value.parse()?)
}

/// An optional text column read as a text enum.
pub(crate) fn optional_text<T>(row: &AnyRow, column: usize) -> Result<Option<T>, StoreError>
where
    T: std::str::FromStr<Err = crate::text_enum::Unknown>,
{
    let value: Option<String> = row.try_get(column)?;
    Ok(value.map(|v| v.parse()).transpose()?)
}

/// One migration: its version, name, and the SQL for each dialect.
struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
    /// SHA-256 of earlier texts of this migration that differ from today's in comments only: a
    /// database they were applied to is up to date. Its recorded checksum is left as it is, so
    /// the earlier binary still starts on it (a rollback, a rolling restart).
    earlier: &'static [&'static str],
}

/// Every migration, oldest first. The same versions and the same schema on both databases.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "accounts",
        sqlite: include_str!("migrations/sqlite/0001_accounts.sql"),
        postgres: include_str!("migrations/postgres/0001_accounts.sql"),
        // Before a comment stopped citing a design file outside the repository.
        earlier: &[
            "96b6db2629aac2f9d55817ffe2da4fd225e8bfa19bc41dff18f33c36a5429cfa",
            "3c7993b873a81a461ef831b3601febe30038abde850aa5c772f0ba69627aff8c",
        ],
    },
    Migration {
        version: 2,
        name: "leaks",
        sqlite: include_str!("migrations/sqlite/0002_leaks.sql"),
        postgres: include_str!("migrations/postgres/0002_leaks.sql"),
        earlier: &[],
    },
    Migration {
        version: 3,
        name: "faults",
        sqlite: include_str!("migrations/sqlite/0003_faults.sql"),
        postgres: include_str!("migrations/postgres/0003_faults.sql"),
        earlier: &[],
    },
    Migration {
        version: 4,
        name: "resets",
        sqlite: include_str!("migrations/sqlite/0004_resets.sql"),
        postgres: include_str!("migrations/postgres/0004_resets.sql"),
        earlier: &[],
    },
    Migration {
        version: 5,
        name: "otp",
        sqlite: include_str!("migrations/sqlite/0005_otp.sql"),
        postgres: include_str!("migrations/postgres/0005_otp.sql"),
        earlier: &[],
    },
    Migration {
        version: 6,
        name: "end_dates",
        sqlite: include_str!("migrations/sqlite/0006_end_dates.sql"),
        postgres: include_str!("migrations/postgres/0006_end_dates.sql"),
        earlier: &[],
    },
];

/// The database: a pool and its dialect.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("dialect", &self.dialect)
            .finish()
    }
}

/// Turns `--database` into a URL sqlx understands: `sqlite://…` and `postgres://…` pass through,
/// a plain path is a SQLite file (created when missing).
pub fn database_url(spec: &str) -> Result<(String, Dialect), StoreError> {
    let bad = |m: &str| StoreError::Url(m.to_string());
    if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
        return Ok((spec.to_string(), Dialect::Postgres));
    }
    let path = spec
        .strip_prefix("sqlite://")
        .or_else(|| spec.strip_prefix("sqlite:"))
        .unwrap_or(spec);
    if path.is_empty() || spec.contains("://") && !spec.starts_with("sqlite://") {
        return Err(bad(
            "--database must be sqlite://FILE, a file path, or postgres://…",
        ));
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    let url = if path.contains("mode=") {
        format!("sqlite://{path}")
    } else {
        format!("sqlite://{path}{sep}mode=rwc")
    };
    Ok((url, Dialect::Sqlite))
}

/// Narrows a SQLite database's files (the database, its journal) to their owner: a file made
/// by an earlier version, or by hand, may be readable by others.
fn make_private(url: &str) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = url.trim_start_matches("sqlite://");
        let path = path.split('?').next().unwrap_or(path);
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{path}{suffix}");
            if let Ok(meta) = std::fs::metadata(&file) {
                if meta.permissions().mode() & 0o077 != 0 {
                    let _ = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600));
                }
            }
        }
    }
}

/// The file of a `sqlite://` URL.
fn sqlite_file(url: &str) -> &str {
    let path = url.trim_start_matches("sqlite://");
    path.split('?').next().unwrap_or(path)
}

/// How every SQLite connection is set up.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

/// Opens one connection to `url` directly and asks it one question, so a database that cannot
/// be used is refused in seconds with its reason: a missing folder, a file that is not a SQLite
/// database (truncated, a zeroed header), a read-only file or mount, a PostgreSQL server that
/// refuses or does not answer.
async fn probe(url: &str, dialect: Dialect) -> Result<(), StoreError> {
    use sqlx::Connection;
    let name = match dialect {
        Dialect::Sqlite => format!("the SQLite file {}", sqlite_file(url)),
        Dialect::Postgres => "the PostgreSQL database".to_string(),
    };
    let what_to_do = match dialect {
        Dialect::Sqlite => {
            "check the path and that the service's user may write the file and its folder; a \
             damaged file: restore the latest backup (or `sqlite3 FILE .recover`)"
        }
        Dialect::Postgres => "check the URL, the server, and the user's rights",
    };
    let attempt = async {
        let mut conn = sqlx::AnyConnection::connect(url).await?;
        if dialect == Dialect::Sqlite {
            conn.execute(SQLITE_PRAGMAS).await?;
            // Reads the schema: a file that is not a database fails here.
            sqlx::query("SELECT COUNT(*) FROM sqlite_master")
                .fetch_one(&mut conn)
                .await?;
            // Takes the write lock and lets it go: a read-only file or mount fails here.
            conn.execute("BEGIN IMMEDIATE; ROLLBACK;").await?;
        } else {
            sqlx::query("SELECT 1").fetch_one(&mut conn).await?;
        }
        conn.close().await
    };
    match tokio::time::timeout(Duration::from_secs(10), attempt).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(StoreError::Unavailable(format!(
            "cannot use {name}: {e}; {what_to_do}"
        ))),
        Err(_) => Err(StoreError::Unavailable(format!(
            "{name} did not answer within 10 s; {what_to_do}"
        ))),
    }
}

impl Store {
    /// Connects (at most `connections` at once; SQLite uses one), checks a SQLite file's
    /// integrity first when `check_integrity` (see [`Store::check_integrity`]), and applies the
    /// migrations. A database that cannot be opened is named with the reason at once (one direct
    /// connection first, so no pool time-out hides it).
    pub async fn open(
        spec: &str,
        connections: u32,
        check_integrity: bool,
    ) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, dialect) = database_url(spec)?;
        probe(&url, dialect).await?;
        let options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(30))
            // A connection is handed out only outside any transaction: a commit or rollback
            // that failed (a full disk) leaves the driver counting a transaction the database
            // no longer has, and every later `BEGIN` on it would fail. Such a connection is
            // closed and a fresh one opened. (Checked when it is taken from the pool: by then the
            // pool's own ping on release has run the rollback a dropped transaction queued.)
            .before_acquire(|conn, _| {
                Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) })
            });
        let options = match dialect {
            // One connection: SQLite has one writer anyway, and it keeps every write in order.
            Dialect::Sqlite => options.max_connections(1).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(SQLITE_PRAGMAS).await?;
                    Ok(())
                })
            }),
            Dialect::Postgres => options.max_connections(connections.max(2)),
        };
        let pool = options
            .connect(&url)
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot open the database: {e}")))?;
        if dialect == Dialect::Sqlite {
            make_private(&url);
        }
        let store = Store { pool, dialect };
        if check_integrity {
            store.check_integrity(&url).await?;
        }
        store.migrate().await.map_err(|e| match (e, dialect) {
            (StoreError::Corrupt(m), Dialect::Sqlite) => StoreError::Corrupt(format!(
                "cannot read the schema of {}: {m}; a damaged file: stop every replica and \
                     restore the latest backup (or try `sqlite3 FILE .recover`)",
                sqlite_file(&url)
            )),
            (e, _) => e,
        })?;
        Ok(store)
    }

    /// Checks a SQLite file's integrity (`PRAGMA quick_check`: every page is read, about a
    /// second per 100 MB); a damaged file is refused with what to do. PostgreSQL checks its own.
    pub async fn check_integrity(&self, url: &str) -> Result<(), StoreError> {
        if self.dialect != Dialect::Sqlite {
            return Ok(());
        }
        let file = sqlite_file(url);
        let rows = sqlx::query("PRAGMA quick_check")
            .fetch_all(&self.pool)
            .await
            .map_err(|e| {
                StoreError::Corrupt(format!(
                    "the integrity check of {file} failed: {e}; stop every replica and restore \
                     the latest backup (or try `sqlite3 FILE .recover`)"
                ))
            })?;
        let first: String = match rows.first() {
            Some(r) => r.try_get(0)?,
            None => "no answer".to_string(),
        };
        if first == "ok" {
            return Ok(());
        }
        Err(StoreError::Corrupt(format!(
            "the SQLite file {file} is damaged ({} problems, the first: {first}); stop every \
             replica and restore the latest backup (or try `sqlite3 FILE .recover`)",
            rows.len()
        )))
    }

    /// Whether the database takes a write now: one small committed update (of the
    /// `health_probe` setting).
    pub async fn probe_write(&self) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ('health_probe', $1) \
             ON CONFLICT (name) DO UPDATE SET value = $1",
        )
        .bind(crate::clock::unix_now().to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The dialect.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The pool (for reads outside a transaction).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a write transaction (SQLite: `BEGIN IMMEDIATE`, so it never fails half-way on an
    /// upgrade from reading to writing).
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self.dialect {
            Dialect::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Dialect::Postgres => self.pool.begin().await?,
        })
    }

    /// `query` with a row lock where the database has them (PostgreSQL: `FOR UPDATE`; SQLite's
    /// `BEGIN IMMEDIATE` already holds the one write lock).
    pub fn locked(&self, query: &'static str) -> sqlx::AssertSqlSafe<String> {
        match self.dialect {
            Dialect::Postgres => sqlx::AssertSqlSafe(format!("{query} FOR UPDATE")),
            Dialect::Sqlite => sqlx::AssertSqlSafe(query.to_string()),
        }
    }

    /// `query` locking the rows it returns and skipping rows another replica holds.
    pub fn claimed(&self, query: &'static str) -> sqlx::AssertSqlSafe<String> {
        match self.dialect {
            Dialect::Postgres => sqlx::AssertSqlSafe(format!("{query} FOR UPDATE SKIP LOCKED")),
            Dialect::Sqlite => sqlx::AssertSqlSafe(query.to_string()),
        }
    }

    /// Applies the migrations this binary knows that the database lacks, under a lock so several
    /// replicas starting at once apply each exactly once.
    async fn migrate(&self) -> Result<(), StoreError> {
        let fail = StoreError::Migration;
        let mut tx = self.begin().await?;
        if self.dialect == Dialect::Postgres {
            sqlx::query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(7273658001)) AS l")
                .fetch_one(&mut *tx)
                .await?;
        }
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS matkhau_migrations (version BIGINT PRIMARY KEY, \
             name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .execute(&mut *tx)
        .await?;
        let applied: Vec<(i64, String)> =
            sqlx::query("SELECT version, checksum FROM matkhau_migrations ORDER BY version")
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r: &AnyRow| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<_, sqlx::Error>>()?;
        if let Some((v, _)) = applied
            .iter()
            .find(|(v, _)| !MIGRATIONS.iter().any(|m| m.version == *v))
        {
            return Err(fail(format!(
                "the database has schema version {v}, newer than this matkhau knows; upgrade matkhau"
            )));
        }
        for m in MIGRATIONS {
            let sql = match self.dialect {
                Dialect::Sqlite => m.sqlite,
                Dialect::Postgres => m.postgres,
            };
            let checksum = crate::digest::sha256_hex(sql.as_bytes());
            match applied.iter().find(|(v, _)| *v == m.version) {
                Some((_, c)) if *c == checksum => continue,
                Some((_, c)) if m.earlier.contains(&c.as_str()) => continue,
                Some(_) => {
                    return Err(fail(format!(
                        "migration {} ({}) differs from the one applied to this database",
                        m.version, m.name
                    )))
                }
                None => {}
            }
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await
                .map_err(|e| fail(format!("migration {} ({}): {e}", m.version, m.name)))?;
            sqlx::query(
                "INSERT INTO matkhau_migrations (version, name, checksum, applied_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(m.version)
            .bind(m.name)
            .bind(checksum)
            .bind(crate::clock::unix_now())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A setting, if it is set.
    pub async fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// Records the check value of the secrets this database is used with (kept when one is
    /// there) and deletes the settings of keys an earlier version kept here.
    pub async fn adopt_secrets(
        &self,
        check_name: &str,
        check: &str,
        legacy: &[&str],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(check_name)
        .bind(check)
        .execute(&mut *tx)
        .await?;
        for name in legacy {
            sqlx::query("DELETE FROM settings WHERE name = $1")
                .bind(*name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let (u, d) = database_url("matkhau.db").unwrap();
        assert_eq!(
            (u.as_str(), d),
            ("sqlite://matkhau.db?mode=rwc", Dialect::Sqlite)
        );
        let (u, _) = database_url("sqlite:///tmp/x.db").unwrap();
        assert_eq!(u, "sqlite:///tmp/x.db?mode=rwc");
        let (_, d) = database_url("postgres://u@127.0.0.1/db").unwrap();
        assert_eq!(d, Dialect::Postgres);
        assert!(database_url("mysql://x").is_err());
        assert!(database_url("").is_err());
    }

    #[test]
    fn both_dialects_have_every_migration_with_the_same_tables() {
        let tables = |sql: &str| {
            let mut t: Vec<String> = sql
                .split("CREATE TABLE ")
                .skip(1)
                .map(|s| s.split_whitespace().next().unwrap_or("").to_string())
                .collect();
            t.sort();
            t
        };
        for m in MIGRATIONS {
            assert_eq!(tables(m.sqlite), tables(m.postgres), "{}", m.name);
            // Same columns in the same order (only the id type and trigger syntax differ).
            let columns = |sql: &str| {
                sql.lines()
                    .filter(|l| l.starts_with("    ") && !l.trim_start().starts_with("--"))
                    .filter_map(|l| l.split_whitespace().next().map(str::to_string))
                    .filter(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                    .collect::<Vec<_>>()
            };
            let (a, b) = (columns(m.sqlite), columns(m.postgres));
            let strip = |v: Vec<String>| -> Vec<String> {
                v.into_iter()
                    .filter(|w| !["raise", "select"].contains(&w.as_str()))
                    .collect()
            };
            assert_eq!(strip(a), strip(b), "{}", m.name);
        }
    }
}
