//! Reading a leak report: `username` or `username:password` lines, or CSV with or without a
//! header (named in English or Vietnamese). Bad lines are named by number, never quoted.

use crate::accounts::{valid_username, Secret};
use crate::text_enum::text_enum;
use serde::Serialize;

text_enum! {
    /// Why a line is not an entry.
    pub enum MalformedReason {
        /// The username is not one this service accepts.
        Username = "username",
        /// The CSV record cannot be read.
        Csv = "csv",
        /// The line is not UTF-8.
        Utf8 = "utf8",
    }
}

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
    /// Why.
    pub reason: MalformedReason,
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
                reason: MalformedReason::Utf8,
            });
        } else if !valid_username(user) {
            bad.push(Malformed {
                line,
                reason: MalformedReason::Username,
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
                            reason: MalformedReason::Csv,
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
        assert_eq!((bad[0].line, bad[0].reason), (5, MalformedReason::Username));

        let csv = b"Password,Username\n\"a,b\",01G60_BV\nx,\n";
        let (entries, bad) = parse(csv, Some(Format::Csv));
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].username, "01G60_BV");
        assert_eq!(
            entries[0].password.as_ref().map(Secret::expose),
            Some("a,b")
        );
        assert_eq!((bad[0].line, bad[0].reason), (3, MalformedReason::Username));
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
