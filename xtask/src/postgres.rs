//! A private PostgreSQL server for the tests: installed from Debian's packages when missing,
//! initialised in a temporary folder, listening on a free loopback port, stopped afterwards.
//! `MATKHAU_TEST_POSTGRES` set by the caller means "use that server instead".

use std::path::PathBuf;
use std::process::Command;

/// A running test server.
pub struct Postgres {
    /// `postgres://matkhau@127.0.0.1:PORT/postgres`.
    pub url: String,
    owned: Option<(PathBuf, PathBuf)>,
    run_as_postgres: bool,
}

/// The newest `/usr/lib/postgresql/*/bin` holding `initdb`.
fn find_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, b)| b)
}

fn install() -> Result<(), String> {
    eprintln!("xtask: PostgreSQL is not installed; installing Debian's postgresql package");
    crate::apt_install(&["postgresql"])
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

impl Postgres {
    /// Starts the server (or adopts `MATKHAU_TEST_POSTGRES`).
    pub fn start() -> Result<Postgres, String> {
        if let Ok(url) = std::env::var("MATKHAU_TEST_POSTGRES") {
            return Ok(Postgres {
                url,
                owned: None,
                run_as_postgres: false,
            });
        }
        let bin = match find_bin() {
            Some(b) => b,
            None => {
                install()?;
                find_bin().ok_or("PostgreSQL installed but initdb not found")?
            }
        };
        // initdb refuses to run as root: the package's `postgres` user runs the server then.
        let run_as_postgres = crate::is_root();
        let dir = std::env::temp_dir().join(format!("matkhau-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut pg = Postgres {
            url: String::new(),
            owned: Some((dir.clone(), bin.clone())),
            run_as_postgres,
        };
        if run_as_postgres {
            pg.command(
                "chown",
                &["postgres:postgres", &dir.display().to_string()],
                false,
            )?;
        }
        let data = dir.join("data").display().to_string();
        let initdb = bin.join("initdb").display().to_string();
        pg.command(
            &initdb,
            &[
                "-D",
                &data,
                "-U",
                "matkhau",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            true,
        )?;
        let port = free_port()?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
            dir.display()
        );
        let pg_ctl = bin.join("pg_ctl").display().to_string();
        let log = dir.join("server.log").display().to_string();
        pg.command(
            &pg_ctl,
            &[
                "-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options, "start",
            ],
            true,
        )?;
        eprintln!("xtask: PostgreSQL {} on 127.0.0.1:{port}", bin.display());
        pg.url = format!("postgres://matkhau@127.0.0.1:{port}/postgres");
        Ok(pg)
    }

    fn command(&self, program: &str, args: &[&str], as_postgres: bool) -> Result<(), String> {
        let mut c = if as_postgres && self.run_as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", program]);
            c
        } else {
            Command::new(program)
        };
        let out = c
            .args(args)
            .output()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some((dir, bin)) = self.owned.take() {
            let data = dir.join("data").display().to_string();
            let pg_ctl = bin.join("pg_ctl").display().to_string();
            let _ = self.command(&pg_ctl, &["-D", &data, "-m", "fast", "-w", "stop"], true);
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
