//! What an import did, entry by entry: the written report the letters require, as JSON or CSV.
//! It never holds a password.

use crate::states::LeakOutcome;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the intake did with one entry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EntryOutcome {
    /// The entry's line.
    pub line: u64,
    /// The username as reported (empty for a malformed line).
    pub username: String,
    /// What was done.
    pub outcome: LeakOutcome,
    /// Whether the reported password was the account's current one (`null` when not checked).
    pub leaked_password_valid: Option<bool>,
    /// More: the earlier outcome, the malformed line's reason, the error's code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl EntryOutcome {
    /// The outcome for the entry on `line` of `username`, nothing checked yet.
    pub fn new(line: u64, username: &str, outcome: LeakOutcome) -> EntryOutcome {
        EntryOutcome {
            line,
            username: username.to_string(),
            outcome,
            leaked_password_valid: None,
            detail: None,
        }
    }

    /// The same with `detail`.
    pub fn with_detail(self, detail: impl Into<String>) -> EntryOutcome {
        EntryOutcome {
            detail: Some(detail.into()),
            ..self
        }
    }
}

/// What an import did, entry by entry.
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
    pub accounts: Vec<EntryOutcome>,
}

impl Report {
    /// The report of `outcomes`, sorted by line, with its summary.
    pub fn new(source: &str, dry_run: bool, mut outcomes: Vec<EntryOutcome>) -> Report {
        outcomes.sort_by_key(|o| o.line);
        let mut summary = BTreeMap::new();
        for o in &outcomes {
            *summary.entry(o.outcome.as_str()).or_insert(0) += 1;
        }
        Report {
            source: source.to_string(),
            dry_run,
            summary,
            accounts: outcomes,
        }
    }

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
                o.outcome.as_str(),
                valid,
                o.detail.as_deref().unwrap_or(""),
            ])
            .map_err(fail)?;
        }
        let bytes = w.into_inner().map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|e| e.to_string())
    }
}
