//! `matkhau breach import`: reads Have I Been Pwned's formats and writes a corpus file.
//!
//! Accepted inputs, mixed freely: files of `HASH:COUNT` lines (40 hex digits, the count
//! optional), and range files as the range API and its downloader write them (`SUFFIX:COUNT`
//! lines, 35 hex digits, in a file named after its 5-hex prefix, e.g. `5BAA6.txt`), or folders
//! of them. Either case, CRLF or LF. Zero counts (padding) are skipped; a hash seen twice keeps
//! its largest count. Malformed lines are counted and the first ones named; they never stop the
//! import.

use super::format;
use super::{BreachError, Fuse, Sha1Hash};
use indicatif::ProgressBar;
use serde::Serialize;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How to build the corpus.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Fingerprint width of the filter: 8, 16 or 32.
    pub bits: u32,
    /// Keep the sorted hashes and counts (confirmation, counts, the range endpoint).
    pub ranges: bool,
}

/// A malformed input line (named, never quoted: a line may hold a password by mistake).
#[derive(Debug, Clone, Serialize)]
pub struct BadLine {
    /// The file.
    pub file: String,
    /// 1-based line number.
    pub line: u64,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Input files read.
    pub files: u64,
    /// Lines read.
    pub lines: u64,
    /// Distinct hashes in the corpus.
    pub hashes: u64,
    /// Lines with a zero count (range padding), skipped.
    pub padding: u64,
    /// Malformed lines, skipped.
    pub malformed: u64,
    /// The first malformed lines.
    pub malformed_lines: Vec<BadLine>,
    /// Fingerprint width.
    pub bits: u32,
    /// Whether the sorted hashes are kept.
    pub ranges: bool,
    /// Size of the corpus file.
    pub file_bytes: u64,
    /// Bytes the filter takes in memory.
    pub filter_bytes: u64,
    /// Seconds reading and parsing.
    pub read_seconds: f64,
    /// Seconds sorting and building the filter.
    pub build_seconds: f64,
    /// Seconds writing.
    pub write_seconds: f64,
}

const NAMED_BAD_LINES: usize = 10;

/// The inputs a list of paths names: files as given, folders' range files sorted by name.
pub fn inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, BreachError> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p)
                .map_err(|e| BreachError::Io(format!("cannot list {}: {e}", p.display())))?;
            let mut inside: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|f| f.is_file() && range_of_name(f).is_some())
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(p.clone());
        }
    }
    Ok(files)
}

/// The 5-hex prefix a range file's name gives (`5BAA6`, `5baa6.txt`).
fn range_of_name(path: &Path) -> Option<u32> {
    super::parse_prefix(path.file_stem()?.to_str()?)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// A line that is neither `HASH[:COUNT]` nor, in a range file, `SUFFIX[:COUNT]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAHash;

/// One line → `(hash, count)`; `Ok(None)` for a blank line. `range` is the file's prefix, needed
/// for 35-digit suffixes.
pub fn parse_line(line: &[u8], range: Option<u32>) -> Result<Option<(Sha1Hash, u64)>, NotAHash> {
    let line = line.trim_ascii();
    if line.is_empty() {
        return Ok(None);
    }
    let (hex, count) = match line.iter().position(|&b| b == b':') {
        Some(i) => (&line[..i], Some(&line[i + 1..])),
        None => (line, None),
    };
    let count = match count {
        None => 1,
        Some(c) if !c.is_empty() && c.len() <= 20 && c.iter().all(u8::is_ascii_digit) => {
            std::str::from_utf8(c)
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
                .ok_or(NotAHash)?
        }
        Some(_) => return Err(NotAHash),
    };
    let mut nibbles = [0u8; 40];
    let start = match (hex.len(), range) {
        (40, _) => 0,
        (35, Some(p)) => {
            for (i, n) in nibbles[..5].iter_mut().enumerate() {
                *n = ((p >> (4 * (4 - i))) & 0xF) as u8;
            }
            5
        }
        _ => return Err(NotAHash),
    };
    for (n, &b) in nibbles[start..].iter_mut().zip(hex) {
        *n = hex_value(b).ok_or(NotAHash)?;
    }
    let mut hash = [0u8; 20];
    for (i, h) in hash.iter_mut().enumerate() {
        *h = (nibbles[2 * i] << 4) | nibbles[2 * i + 1];
    }
    Ok(Some((hash, count)))
}

/// Reads `files`, builds the filter and writes the corpus to `out`.
pub fn run(
    files: &[PathBuf],
    out: &Path,
    options: Options,
    progress: &ProgressBar,
) -> Result<Report, BreachError> {
    let mut report = Report {
        bits: options.bits,
        ranges: options.ranges,
        ..Report::default()
    };
    let total: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    progress.set_length(total);
    let started = Instant::now();
    let mut records: Vec<(Sha1Hash, u32)> = Vec::new();
    for file in files {
        let range = range_of_name(file);
        let handle = std::fs::File::open(file)
            .map_err(|e| BreachError::Io(format!("cannot read {}: {e}", file.display())))?;
        report.files += 1;
        let mut reader = BufReader::with_capacity(1 << 20, handle);
        let mut line = Vec::with_capacity(64);
        let mut number = 0u64;
        loop {
            line.clear();
            let n = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| BreachError::Io(format!("cannot read {}: {e}", file.display())))?;
            if n == 0 {
                break;
            }
            number += 1;
            progress.inc(n as u64);
            match parse_line(&line, range) {
                Ok(None) => {}
                Ok(Some((_, 0))) => report.padding += 1,
                Ok(Some((hash, count))) => {
                    records.push((hash, u32::try_from(count).unwrap_or(u32::MAX)))
                }
                Err(NotAHash) => {
                    report.malformed += 1;
                    if report.malformed_lines.len() < NAMED_BAD_LINES {
                        report.malformed_lines.push(BadLine {
                            file: file.display().to_string(),
                            line: number,
                        });
                    }
                }
            }
        }
        report.lines += number;
    }
    report.read_seconds = started.elapsed().as_secs_f64();

    let building = Instant::now();
    progress.set_message("sorting and building the filter");
    records.sort_unstable();
    // Sorted by hash then count: the last of a run of equal hashes has the largest count.
    records.reverse();
    records.dedup_by(|later, kept| later.0 == kept.0);
    records.reverse();
    if records.is_empty() {
        return Err(BreachError::Empty(
            "no hashes with a count above zero in the input".into(),
        ));
    }
    report.hashes = records.len() as u64;
    let mut keys: Vec<u64> = records.iter().map(|(h, _)| super::key_of(h)).collect();
    keys.dedup();
    let fuse = Fuse::build(&keys, options.bits)?;
    drop(keys);
    report.filter_bytes = fuse.size_bytes() as u64;
    report.build_seconds = building.elapsed().as_secs_f64();

    let writing = Instant::now();
    progress.set_message("writing");
    let kept = options.ranges.then_some(records.as_slice());
    report.file_bytes = format::write(out, &fuse, report.hashes, kept)?;
    report.write_seconds = writing.elapsed().as_secs_f64();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let full = b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:9545824\r\n";
        let (hash, count) = parse_line(full, None).unwrap().unwrap();
        assert_eq!(hash, crate::breach::sha1("password"));
        assert_eq!(count, 9_545_824);
        let suffix = b"1e4c9b93f3f0682250b6cf8331b7ee68fd8:3";
        assert_eq!(parse_line(suffix, Some(0x5BAA6)).unwrap().unwrap().0, hash);
        assert_eq!(parse_line(b"  \r\n", None), Ok(None));
        let no_count = b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8";
        assert_eq!(parse_line(no_count, None).unwrap().unwrap().1, 1);
        // A suffix outside a range file.
        assert_eq!(parse_line(suffix, None), Err(NotAHash));
        for bad in [
            &b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FDX:1"[..],
            b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:-1",
            b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:",
            b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD:1",
            b"hunter2",
            b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:99999999999999999999999",
        ] {
            assert_eq!(parse_line(bad, Some(0x5BAA6)), Err(NotAHash), "{bad:?}");
        }
    }
}
