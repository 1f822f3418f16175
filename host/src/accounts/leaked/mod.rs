//! Leaked-account intake (`matkhau leaked import`, `POST /v1/admin/leaked`): a report of
//! `username` or `username:password` lines (or CSV) from an infostealer log or a list traded
//! online. For each known account the reported password is verified against the current hash;
//! then the account is reset (a temporary password mailed, `must_change` `leaked`), and locked
//! until that reset when the leaked password still worked. Every reported password goes into the
//! blocklist by keyed hash, so no one can choose it again. Each handled entry is recorded by
//! keyed hash, so importing the same report again changes nothing.
//!
//! [`parse`] reads the report, [`intake`] handles each entry, [`report`] is what it did.

mod intake;
pub mod parse;
pub mod report;

pub use parse::{parse, Entry, Format, Malformed};
pub use report::{EntryOutcome, Report};

use super::{Client, Error, Service};
use crate::code::Coded;
use crate::states::LeakOutcome;

/// Largest report accepted over HTTP, in bytes (the CLI reads any size).
pub const MAX_HTTP_REPORT: usize = 4 * 1024 * 1024;

/// How to run an import.
#[derive(Clone, Debug)]
pub struct Options {
    /// The report's name (file name, ticket), kept with each entry and in the audit log.
    pub source: String,
    /// Report what would be done; change and send nothing.
    pub dry_run: bool,
}

impl Service {
    /// Handles a parsed report; `progress` is called after each entry.
    pub async fn import_leaks(
        &self,
        entries: Vec<Entry>,
        malformed: Vec<Malformed>,
        options: &Options,
        client: &Client,
        now: i64,
        progress: &(dyn Fn() + Send + Sync),
    ) -> Result<Report, Error> {
        if options.source.chars().count() > 200 || options.source.chars().any(char::is_control) {
            return Err(Error::Invalid(
                "source: at most 200 characters, one line".into(),
            ));
        }
        let mut outcomes: Vec<EntryOutcome> = malformed
            .into_iter()
            .map(|m| {
                EntryOutcome::new(m.line, "", LeakOutcome::Malformed).with_detail(m.reason.as_str())
            })
            .collect();
        let mut run = intake::Run::default();
        for entry in entries {
            // One entry's failure (a database error, an account that vanished) is reported
            // with its code and the import goes on; importing again retries it.
            let outcome = self
                .import_entry(&entry, options, client, now, &mut run)
                .await
                .unwrap_or_else(|e| {
                    // The code only: a storage error's own words go to the log, not the report.
                    if let crate::accounts::Error::Store(s) = &e {
                        eprintln!(
                            "matkhau: leak intake, line {}: {}",
                            entry.line,
                            s.describe()
                        );
                    }
                    let detail = match &e {
                        crate::accounts::Error::Store(_) => e.code().to_string(),
                        _ => format!("{}: {e}", e.code()),
                    };
                    EntryOutcome::new(entry.line, &entry.username, LeakOutcome::Failed)
                        .with_detail(detail)
                });
            outcomes.push(outcome);
            progress();
        }
        Ok(Report::new(&options.source, options.dry_run, outcomes))
    }
}
