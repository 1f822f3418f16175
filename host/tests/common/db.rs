//! The databases the API tests run against: a SQLite file, or a fresh database on the PostgreSQL
//! server that `cargo xtask test` starts (its URL in `MATKHAU_TEST_POSTGRES`).

use sqlx::any::AnyPoolOptions;
use sqlx::Row;
use std::sync::atomic::{AtomicU32, Ordering};

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in the server's folder.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// The base URL of the test PostgreSQL server. The tests fail (not skip) without it: run them
/// through `cargo xtask test`, which installs and starts the server.
pub fn postgres_server() -> String {
    std::env::var("MATKHAU_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!(
            "MATKHAU_TEST_POSTGRES is not set: run `cargo xtask test` (it starts PostgreSQL), \
             or point it at a server, e.g. postgres://matkhau@127.0.0.1:5433/postgres"
        )
    })
}

/// A `--database` URL for `backend`; for PostgreSQL a new, empty database.
pub fn database(backend: Backend, dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}/matkhau.db", dir.display()),
        Backend::Postgres => {
            static N: AtomicU32 = AtomicU32::new(0);
            let base = postgres_server();
            let name = format!(
                "t_{}_{}_{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos())
            );
            exec(&base, &format!("CREATE DATABASE {name}"));
            let (prefix, _) = base.rsplit_once('/').expect("postgres URL with a database");
            format!("{prefix}/{name}")
        }
    }
}

fn pool_url(url: &str) -> String {
    match url.strip_prefix("sqlite://") {
        Some(path) => format!("sqlite://{path}?mode=rw"),
        None => url.to_string(),
    }
}

/// Runs `work` on a one-connection pool to the database at `url`.
fn with_pool<T>(url: &str, work: impl AsyncFnOnce(&sqlx::AnyPool) -> T) -> T {
    sqlx::any::install_default_drivers();
    runtime().block_on(async {
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect(&pool_url(url))
            .await
            .expect("connect to the test database");
        let out = work(&pool).await;
        pool.close().await;
        out
    })
}

/// Runs one SQL statement (the tests use it to age stored times, as if months had passed).
pub fn exec(url: &str, sql: &str) -> u64 {
    with_pool(url, async |pool| {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .rows_affected()
    })
}

/// The first column of the first row of a query, as an integer.
pub fn scalar(url: &str, sql: &str) -> i64 {
    with_pool(url, async |pool| {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        row.try_get::<i64, _>(0).expect("integer")
    })
}

/// The first column of every row of `sql`, as text.
pub fn strings(url: &str, sql: &str) -> Vec<String> {
    with_pool(url, async |pool| {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_all(pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).expect("text"))
            .collect()
    })
}
