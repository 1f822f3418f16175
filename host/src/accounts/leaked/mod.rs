//! Leaked-account intake (`matkhau leaked import`, `POST /v1/admin/leaked`): a report of
//! `username` or `username:password` lines (or CSV) from an infostealer log or a list traded
//! online. For each known account the reported password is verified against the current hash;
//! then the account is reset (a temporary password mailed, `must_change` `leaked`), and locked
//! until that reset when the leaked password still worked. Every reported password goes into the
//! blocklist by keyed hash, so no one can choose it again. Each handled entry is recorded by
//! keyed hash, so importing the same report again changes nothing.

use super::{valid_username, Client, Error, Secret, Service};
use crate::mail::templates::IssueReason;
use crate::storage::accounts::username_key;
use crate::storage::audit::Event;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashSet};

/// Largest report accepted over HTTP, in bytes (the CLI reads any size).
pub const MAX_HTTP_REPORT: usize = 4 * 1024 * 1024;

/// How a report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `username` or `username:password` per line; `#` comments and blank lines skipped.
    Lines,
    /// CSV: `username[,password]`, with or without a header row naming the columns.
    Csv,
}

impl Format {
    /// `lines` or `csv`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "lines" | "txt" => Some(Format::Lines),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// Guesses from the first line that is not blank or a comment: a comma and no colon is CSV.
    pub fn sniff(text: &str) -> Format {
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'));
        match first {
            Some(l) if l.contains(',') && !l.contains(':') => Format::Csv,
            _ => Format::Lines,
        }
    }
}

/// One report entry.
#[derive(Debug)]
pub struct Entry {
    /// 1-based line (or CSV record) number.
    pub line: u64,
    /// The username as reported.
    pub username: String,
    /// The password reported with it.
    pub password: Option<Secret>,
}

/// A line that is not an entry (named by number, never quoted).
#[derive(Debug, Clone, Serialize)]
pub struct Malformed {
    /// 1-based line number.
    pub line: u64,
    /// Why: `username`, `csv`, `utf8`.
    pub reason: &'static str,
}

/// Parses a report. Bad lines are returned beside the good ones; they never stop the import.
pub fn parse(bytes: &[u8], format: Option<Format>) -> (Vec<Entry>, Vec<Malformed>) {
    let text = String::from_utf8_lossy(bytes);
    // Spreadsheets write CSV with a byte-order mark; it must not hide the header row.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let format = format.unwrap_or_else(|| Format::sniff(text));
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    let mut push = |line: u64, user: &str, password: Option<&str>, bad: &mut Vec<Malformed>| {
        let user = user.trim();
        if user.contains('\u{FFFD}') || password.is_some_and(|p| p.contains('\u{FFFD}')) {
            bad.push(Malformed {
                line,
                reason: "utf8",
            });
        } else if !valid_username(user) {
            bad.push(Malformed {
                line,
                reason: "username",
            });
        } else {
            entries.push(Entry {
                line,
                username: user.to_string(),
                password: password
                    .filter(|p| !p.is_empty())
                    .map(|p| Secret::new(p.to_string())),
            });
        }
    };
    match format {
        Format::Lines => {
            for (i, raw) in text.lines().enumerate() {
                let line = raw.strip_suffix('\r').unwrap_or(raw);
                if line.trim().is_empty() || line.trim_start().starts_with('#') {
                    continue;
                }
                let (user, password) = match line.split_once(':') {
                    Some((u, p)) => (u, Some(p)),
                    None => (line, None),
                };
                push(i as u64 + 1, user, password, &mut bad);
            }
        }
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let (mut user_col, mut pass_col) = (0usize, Some(1usize));
            for (i, record) in reader.records().enumerate() {
                let n = i as u64 + 1;
                let record = match record {
                    Ok(r) => r,
                    Err(e) => {
                        let line = e.position().map_or(n, |p| p.line());
                        bad.push(Malformed {
                            line,
                            reason: "csv",
                        });
                        continue;
                    }
                };
                let line = record.position().map_or(n, |p| p.line());
                if i == 0 {
                    let names: Vec<String> =
                        record.iter().map(|f| f.trim().to_lowercase()).collect();
                    const USER: [&str; 5] =
                        ["username", "user", "login", "tài khoản", "tên đăng nhập"];
                    const PASSWORD: [&str; 3] = ["password", "pass", "mật khẩu"];
                    if let Some(u) = names.iter().position(|f| USER.contains(&f.as_str())) {
                        user_col = u;
                        pass_col = names.iter().position(|f| PASSWORD.contains(&f.as_str()));
                        continue;
                    }
                }
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                let user = record.get(user_col).unwrap_or("");
                let password = pass_col.and_then(|c| record.get(c));
                push(line, user, password, &mut bad);
            }
        }
    }
    (entries, bad)
}

/// What the intake did with one entry.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The entry's line.
    pub line: u64,
    /// The username as reported (empty for a malformed line).
    pub username: String,
    /// `locked_reset` (the leaked password still worked: locked, reset), `reset` (it no longer
    /// worked: reset anyway), `reset_unverified` (no password reported), `unknown_user`,
    /// `revoked` (nothing to do), `already_handled` (an earlier import did it),
    /// `locked_mail_failed` (locked; the temporary password could not be mailed),
    /// `mail_failed` and `conflict` (nothing changed; import again), `failed` (an error, named
    /// by its code in `detail`; import again), `malformed`.
    pub outcome: &'static str,
    /// Whether the reported password was the account's current one (`null` when not checked).
    pub leaked_password_valid: Option<bool>,
    /// More: the earlier outcome, the malformed line's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What an import did, entry by entry, for the written report the letters require.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// The report's name as given.
    pub source: String,
    /// Nothing was changed or sent.
    pub dry_run: bool,
    /// Entries per outcome.
    #[schema(value_type = Object)]
    pub summary: BTreeMap<&'static str, u64>,
    /// One row per entry and malformed line, in input order.
    #[schema(value_type = Vec<Object>)]
    pub accounts: Vec<Outcome>,
}

impl Report {
    /// The report as CSV (`line,username,outcome,leaked_password_valid,detail`).
    pub fn to_csv(&self) -> Result<String, String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| e.to_string();
        w.write_record([
            "line",
            "username",
            "outcome",
            "leaked_password_valid",
            "detail",
        ])
        .map_err(fail)?;
        for o in &self.accounts {
            let valid = o
                .leaked_password_valid
                .map_or("", |v| if v { "yes" } else { "no" });
            w.write_record([
                o.line.to_string().as_str(),
                &o.username,
                o.outcome,
                valid,
                o.detail.as_deref().unwrap_or(""),
            ])
            .map_err(fail)?;
        }
        let bytes = w.into_inner().map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|e| e.to_string())
    }
}

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
            return Err(Error::new(
                "request.invalid",
                "source: at most 200 characters, one line",
            ));
        }
        let mut outcomes: Vec<Outcome> = malformed
            .into_iter()
            .map(|m| Outcome {
                line: m.line,
                username: String::new(),
                outcome: "malformed",
                leaked_password_valid: None,
                detail: Some(m.reason.to_string()),
            })
            .collect();
        // Entries handled in this run (a dry run records nothing, so it remembers them here),
        // and accounts already reset in this run (one reset, one mail per account).
        let mut seen: HashSet<String> = HashSet::new();
        let mut reset: HashSet<String> = HashSet::new();
        for entry in entries {
            // One entry's failure (a database error, an account that vanished) is reported
            // with its code and the import goes on; importing again retries it.
            let outcome = self
                .import_entry(&entry, options, client, now, &mut seen, &mut reset)
                .await
                .unwrap_or_else(|e| Outcome {
                    line: entry.line,
                    username: entry.username.clone(),
                    outcome: "failed",
                    leaked_password_valid: None,
                    detail: Some(format!("{}: {}", e.code, e.message)),
                });
            outcomes.push(outcome);
            progress();
        }
        outcomes.sort_by_key(|o| o.line);
        let mut summary = BTreeMap::new();
        for o in &outcomes {
            *summary.entry(o.outcome).or_insert(0) += 1;
        }
        Ok(Report {
            source: options.source.clone(),
            dry_run: options.dry_run,
            summary,
            accounts: outcomes,
        })
    }

    async fn import_entry(
        &self,
        entry: &Entry,
        options: &Options,
        client: &Client,
        now: i64,
        seen: &mut HashSet<String>,
        reset: &mut HashSet<String>,
    ) -> Result<Outcome, Error> {
        let key = username_key(&entry.username);
        let entry_key = self.leak_entry_key(&key, entry.password.as_ref());
        let password_key = entry.password.as_ref().map(|p| self.leak_key(p));
        let mut out = Outcome {
            line: entry.line,
            username: entry.username.clone(),
            outcome: "already_handled",
            leaked_password_valid: None,
            detail: None,
        };
        if let Some(before) = self.store.leak_entry(&entry_key).await? {
            out.detail = Some(format!(
                "{} ({}, {})",
                before.outcome,
                before.source,
                super::sweep::day_of(before.reported_at)
            ));
            return Ok(out);
        }
        if !seen.insert(entry_key.clone()) {
            out.detail = Some("repeated in this report".into());
            return Ok(out);
        }
        let Some(account) = self.store.account(&entry.username).await? else {
            out.outcome = "unknown_user";
            if !options.dry_run {
                let mut tx = self.store.begin().await?;
                if let Some(k) = &password_key {
                    self.store.block_password(&mut tx, k, now).await?;
                }
                let recorded = self
                    .store
                    .record_leak_entry(&mut tx, &entry_key, &key, &options.source, out.outcome, now)
                    .await?;
                if recorded {
                    let event = Event {
                        actor: client.actor,
                        action: "account.leak_reported",
                        username: Some(&entry.username),
                        address: Some(&client.address),
                        detail: json!({"source": options.source, "line": entry.line,
                                       "outcome": out.outcome}),
                        at: now,
                    };
                    self.store.audit(&mut tx, &event).await?;
                    tx.commit().await?;
                }
            }
            return Ok(out);
        };
        let valid = match &entry.password {
            Some(p) => Some(self.hasher.verify(p, Some(&account.password_hash)).await?),
            None => None,
        };
        out.leaked_password_valid = valid;
        out.outcome = match (account.status.as_str(), valid) {
            ("revoked", _) => "revoked",
            _ if reset.contains(&key) => "already_handled",
            (_, Some(true)) => "locked_reset",
            (_, Some(false)) => "reset",
            (_, None) => "reset_unverified",
        };
        if out.outcome == "already_handled" {
            out.detail = Some("the account was reset earlier in this report".into());
        }
        if options.dry_run {
            return Ok(out);
        }
        let resetting = matches!(out.outcome, "locked_reset" | "reset" | "reset_unverified");
        let prepared = match resetting {
            true => Some(self.prepare_temporary(now).await?),
            false => None,
        };
        let mut tx = self.store.begin().await?;
        let Some(current) = self
            .store
            .account_for_update(&mut tx, &entry.username)
            .await?
        else {
            return Err(Error::new(
                "leak.conflict",
                "the account vanished during the import",
            ));
        };
        if current.version != account.version {
            // The password changed since it was verified: the verification no longer holds.
            out.outcome = "conflict";
            out.detail = Some("the password changed during the import; import again".into());
            return Ok(out);
        }
        if let Some(k) = &password_key {
            self.store.block_password(&mut tx, k, now).await?;
        }
        let locks = out.outcome == "locked_reset";
        // An account locked for another reason (an administrator, inactivity) keeps that lock:
        // the reset a leak forces must not become a way around it.
        let lock_now = locks && current.status == "active";
        if locks && !lock_now {
            out.detail = Some(format!(
                "already {} ({}): that lock is kept",
                current.status,
                current.status_reason.as_deref().unwrap_or("admin")
            ));
        }
        if lock_now {
            self.store
                .set_status(&mut tx, current.id, "locked", Some("leaked"), now)
                .await?;
        }
        let audit = |outcome: &str| Event {
            actor: client.actor,
            action: "account.leak_reported",
            username: Some(&current.username),
            address: Some(&client.address),
            detail: json!({"source": options.source, "line": entry.line, "outcome": outcome,
                           "leaked_password_valid": valid}),
            at: now,
        };
        // The entry is recorded before any mail goes out: an import that got here first wins,
        // and this one rolls back without mailing a second temporary password.
        let recorded = self
            .store
            .record_leak_entry(&mut tx, &entry_key, &key, &options.source, out.outcome, now)
            .await?;
        if !recorded {
            out.outcome = "already_handled";
            out.detail = Some("another import handled it at the same time".into());
            return Ok(out);
        }
        if let Some(prepared) = &prepared {
            let applied = self
                .apply_temporary(
                    &mut tx,
                    &current,
                    prepared,
                    IssueReason::Leaked,
                    client,
                    now,
                )
                .await;
            match applied {
                Ok(()) => {
                    self.counters.reissued.inc();
                }
                Err(e) if e.code == "mail.failed" => {
                    // Rolls back the reset and the entry's record: importing again retries.
                    drop(tx);
                    if !locks {
                        out.outcome = "mail_failed";
                        out.detail = Some("the temporary password could not be mailed".into());
                        return Ok(out);
                    }
                    // The leaked password still works: lock now (unrecorded, so importing the
                    // report again re-issues once mail works), and require a change.
                    out.outcome = "locked_mail_failed";
                    let mut tx = self.store.begin().await?;
                    let again = self
                        .store
                        .account_for_update(&mut tx, &entry.username)
                        .await?
                        .filter(|a| a.version == account.version);
                    let Some(again) = again else {
                        out.outcome = "conflict";
                        out.detail =
                            Some("the password changed during the import; import again".into());
                        return Ok(out);
                    };
                    if again.status == "active" {
                        self.store
                            .set_status(&mut tx, again.id, "locked", Some("leaked"), now)
                            .await?;
                    }
                    self.store.force_change(&mut tx, again.id, "leaked").await?;
                    if let Some(k) = &password_key {
                        self.store.block_password(&mut tx, k, now).await?;
                    }
                    self.store.audit(&mut tx, &audit(out.outcome)).await?;
                    tx.commit().await?;
                    return Ok(out);
                }
                Err(e) => return Err(e),
            }
        }
        self.store.audit(&mut tx, &audit(out.outcome)).await?;
        tx.commit().await?;
        reset.insert(key);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_csv() {
        let text = b"# infostealer log\r\n01G60_BV:Bv@2024abc\r\n\r\nannv\nbad user:x\n01J63_BV:pass:with:colons\n";
        let (entries, bad) = parse(text, None);
        let got: Vec<(u64, &str, Option<&str>)> = entries
            .iter()
            .map(|e| {
                (
                    e.line,
                    e.username.as_str(),
                    e.password.as_ref().map(Secret::expose),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (2, "01G60_BV", Some("Bv@2024abc")),
                (4, "annv", None),
                (6, "01J63_BV", Some("pass:with:colons"))
            ]
        );
        assert_eq!(bad.len(), 1);
        assert_eq!((bad[0].line, bad[0].reason), (5, "username"));

        let csv = b"Password,Username\n\"a,b\",01G60_BV\nx,\n";
        let (entries, bad) = parse(csv, Some(Format::Csv));
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].username, "01G60_BV");
        assert_eq!(
            entries[0].password.as_ref().map(Secret::expose),
            Some("a,b")
        );
        assert_eq!((bad[0].line, bad[0].reason), (3, "username"));
        // A spreadsheet's byte-order mark does not hide the header (passwords stay passwords).
        let bom = "\u{FEFF}Password,Tài khoản\nMùa-Thu#Hà-Nội99,01G60_BV\n".as_bytes();
        let (entries, bad) = parse(bom, None);
        assert!(bad.is_empty());
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].username, "01G60_BV");
        assert_eq!(
            entries[0].password.as_ref().map(Secret::expose),
            Some("Mùa-Thu#Hà-Nội99")
        );
        assert_eq!(Format::sniff("username,password\n"), Format::Csv);
        assert_eq!(Format::sniff("a:b,c\n"), Format::Lines);
        assert_eq!(Format::sniff("# a, b\nannv\n"), Format::Lines);
    }
}
