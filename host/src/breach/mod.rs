//! Breached-password screening: a corpus of SHA-1 hashes in Have I Been Pwned's format, imported
//! into one file (`.mkb`, [`format`]) that holds a binary fuse filter (kept in memory, a few
//! bytes per hash) and, optionally, the sorted hashes with their counts (read from disk per
//! lookup, never loaded whole). A filter hit is confirmed against the sorted hashes when they
//! are there, so screening has no false positives; they also answer the k-anonymity range
//! endpoint. The filter alone (`--no-ranges`) is the compact choice for a corpus too large to
//! keep on disk: its false-positive rate is measured in docs/breach.md.

pub mod format;
pub mod import;

use crate::code::{Code, Coded};
use format::{Header, Layout};
use sha1::{Digest, Sha1};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use xorf::{BinaryFuse16, BinaryFuse32, BinaryFuse8, Filter as _};

/// A SHA-1 digest.
pub type Sha1Hash = [u8; 20];

/// A breach-corpus error (never a password).
#[derive(Debug, thiserror::Error)]
pub enum BreachError {
    /// A file cannot be read or written.
    #[error("{0}")]
    Io(String),
    /// A corpus or an input file is damaged or not in a known format.
    #[error("{0}")]
    Format(String),
    /// An import found no hashes.
    #[error("{0}")]
    Empty(String),
    /// The corpus was imported without the sorted hashes.
    #[error("{0}")]
    NoRanges(String),
    /// The filter could not be built.
    #[error("{0}")]
    Filter(String),
    /// An input is too large.
    #[error("{0}")]
    TooLarge(String),
}

impl Coded for BreachError {
    fn code(&self) -> Code {
        match self {
            BreachError::Io(_) => Code::BreachIo,
            BreachError::Format(_) => Code::BreachFormat,
            BreachError::Empty(_) => Code::BreachEmpty,
            BreachError::NoRanges(_) => Code::BreachNoRanges,
            BreachError::Filter(_) => Code::BreachFilter,
            BreachError::TooLarge(_) => Code::BreachTooLarge,
        }
    }
}

/// The SHA-1 of a password as Have I Been Pwned hashes it (its UTF-8 bytes).
pub fn sha1(password: &str) -> Sha1Hash {
    Sha1::digest(password.as_bytes()).into()
}

/// The filter's key for a hash: its first 64 bits (SHA-1 output is uniform).
pub fn key_of(hash: &Sha1Hash) -> u64 {
    let mut k = [0u8; 8];
    k.copy_from_slice(&hash[..8]);
    u64::from_be_bytes(k)
}

/// The 5-hex range a hash falls in, as a number below 2^20.
pub fn prefix_of(hash: &Sha1Hash) -> u32 {
    (u32::from(hash[0]) << 12) | (u32::from(hash[1]) << 4) | (u32::from(hash[2]) >> 4)
}

/// A binary fuse filter with 8-, 16- or 32-bit fingerprints (false positives ≈ 2^-bits).
pub enum Fuse {
    /// ≈ 9 bits per hash, ≈ 0.4 % false positives.
    B8(BinaryFuse8),
    /// ≈ 18 bits per hash, ≈ 0.0015 % false positives.
    B16(BinaryFuse16),
    /// ≈ 36 bits per hash, ≈ 2.3 × 10^-10 false positives.
    B32(BinaryFuse32),
}

impl Fuse {
    /// Builds a filter over distinct keys (`bits` is 8, 16 or 32).
    pub fn build(keys: &[u64], bits: u32) -> Result<Fuse, BreachError> {
        let failed = |e: &str| BreachError::Filter(format!("filter build: {e}"));
        Ok(match bits {
            8 => Fuse::B8(BinaryFuse8::try_from(keys).map_err(failed)?),
            16 => Fuse::B16(BinaryFuse16::try_from(keys).map_err(failed)?),
            32 => Fuse::B32(BinaryFuse32::try_from(keys).map_err(failed)?),
            _ => return Err(BreachError::Filter("bits must be 8, 16 or 32".into())),
        })
    }

    /// Whether the key may be in the set (never false for a key that is).
    pub fn contains(&self, key: u64) -> bool {
        match self {
            Fuse::B8(f) => f.contains(&key),
            Fuse::B16(f) => f.contains(&key),
            Fuse::B32(f) => f.contains(&key),
        }
    }

    /// Fingerprint width in bits.
    pub fn bits(&self) -> u32 {
        match self {
            Fuse::B8(_) => 8,
            Fuse::B16(_) => 16,
            Fuse::B32(_) => 32,
        }
    }

    /// Bytes the fingerprints take in memory.
    pub fn size_bytes(&self) -> usize {
        match self {
            Fuse::B8(f) => f.fingerprints.len(),
            Fuse::B16(f) => f.fingerprints.len() * 2,
            Fuse::B32(f) => f.fingerprints.len() * 4,
        }
    }
}

/// What a lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Times the password was seen in breaches; `None` when the corpus keeps no counts (filter
    /// only, where a hit may be one of the filter's rare false positives).
    pub count: Option<u32>,
}

/// An imported corpus, open for lookups. Cheap to share; lookups read the disk only for filter
/// hits and range requests.
pub struct Corpus {
    header: Header,
    fuse: Fuse,
    /// Where each of the 2^20 ranges starts, in records (plus the end), when ranges are kept.
    index: Option<Vec<u32>>,
    layout: Layout,
    file: File,
}

impl Corpus {
    /// Opens a corpus file written by `matkhau breach import`, checking its layout.
    pub fn open(path: &Path) -> Result<Corpus, BreachError> {
        let file = File::open(path)
            .map_err(|e| BreachError::Io(format!("cannot open {}: {e}", path.display())))?;
        let format::Opened {
            header,
            fuse,
            index,
            layout,
        } = format::read(&file)?;
        Ok(Corpus {
            header,
            fuse,
            index,
            layout,
            file,
        })
    }

    /// Distinct hashes in the corpus.
    pub fn entries(&self) -> u64 {
        self.header.entries
    }

    /// Whether the sorted hashes (counts, confirmation, ranges) are kept.
    pub fn has_ranges(&self) -> bool {
        self.index.is_some()
    }

    /// The filter's fingerprint width.
    pub fn bits(&self) -> u32 {
        self.fuse.bits()
    }

    /// Bytes held in memory (filter and range index).
    pub fn memory_bytes(&self) -> usize {
        self.fuse.size_bytes() + self.index.as_ref().map_or(0, |i| i.len() * 4)
    }

    /// Looks a hash up: the filter first, then (when kept) the sorted hashes of its range.
    pub fn lookup(&self, hash: &Sha1Hash) -> Result<Option<Hit>, BreachError> {
        if !self.fuse.contains(key_of(hash)) {
            return Ok(None);
        }
        if self.index.is_none() {
            return Ok(Some(Hit { count: None }));
        }
        let records = self.range(prefix_of(hash))?;
        Ok(records
            .binary_search_by(|(h, _)| h.cmp(hash))
            .ok()
            .map(|i| Hit {
                count: Some(records[i].1),
            }))
    }

    /// Whether the filter lets any of `hashes` through (no file read: a `false` is final, a
    /// `true` needs [`Corpus::lookup_any`]). Lets callers skip a blocking task for the common
    /// miss.
    pub fn may_hold(&self, hashes: &[Sha1Hash]) -> bool {
        hashes.iter().any(|h| self.fuse.contains(key_of(h)))
    }

    /// The first of `hashes` the corpus holds (see [`password_hashes`]).
    pub fn lookup_any(&self, hashes: &[Sha1Hash]) -> Result<Option<Hit>, BreachError> {
        for h in hashes {
            if let Some(hit) = self.lookup(h)? {
                return Ok(Some(hit));
            }
        }
        Ok(None)
    }

    /// Looks a password up in every form it may have been hashed in ([`password_hashes`]).
    pub fn lookup_password(&self, password: &str) -> Result<Option<Hit>, BreachError> {
        self.lookup_any(&password_hashes(password))
    }

    /// The hashes of one 5-hex range with their counts, sorted.
    pub fn range(&self, prefix: u32) -> Result<Vec<(Sha1Hash, u32)>, BreachError> {
        let index = self.index.as_ref().ok_or_else(|| {
            BreachError::NoRanges("the corpus was imported with --no-ranges".into())
        })?;
        let p = prefix as usize;
        let (start, end) = match (index.get(p), index.get(p + 1)) {
            (Some(&s), Some(&e)) => (u64::from(s), u64::from(e)),
            _ => return Err(BreachError::Format("range out of bounds".into())),
        };
        let mut bytes = vec![0u8; ((end - start) as usize) * format::RECORD];
        self.file
            .read_exact_at(
                &mut bytes,
                self.layout.records + start * format::RECORD as u64,
            )
            .map_err(|e| BreachError::Io(format!("corpus read: {e}")))?;
        Ok(bytes
            .chunks_exact(format::RECORD)
            .map(format::decode_record)
            .collect())
    }
}

/// The SHA-1s a password may be listed under: as given, and in Unicode NFC when that differs
/// (Vietnamese typed with combining marks).
pub fn password_hashes(password: &str) -> Vec<Sha1Hash> {
    use unicode_normalization::UnicodeNormalization;
    let nfc: String = password.nfc().collect();
    let mut hashes = vec![sha1(password)];
    if nfc != password {
        hashes.push(sha1(&nfc));
    }
    hashes
}

/// Parses a 5-hex range prefix (either case).
pub fn parse_prefix(s: &str) -> Option<u32> {
    (s.len() == 5 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| u32::from_str_radix(s, 16).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A corpus of `n` synthetic hashes plus "password" (count 42), written as HIBP lines.
    fn corpus(n: u64, bits: u32, ranges: bool) -> (Corpus, Vec<Sha1Hash>) {
        let dir = std::env::temp_dir().join(format!(
            "matkhau-breach-{}-{bits}-{ranges}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let members: Vec<Sha1Hash> = (0..n).map(|i| sha1(&format!("member {i}"))).collect();
        let text = dir.join("pwned.txt");
        let mut w = std::fs::File::create(&text).unwrap();
        for h in &members {
            writeln!(w, "{}:3", hex::encode(h)).unwrap();
        }
        writeln!(w, "{}:42", hex::encode(sha1("password"))).unwrap();
        let out = dir.join("c.mkb");
        let options = import::Options { bits, ranges };
        let report =
            import::run(&[text], &out, options, &indicatif::ProgressBar::hidden()).unwrap();
        assert_eq!(report.hashes, n + 1);
        (Corpus::open(&out).unwrap(), members)
    }

    #[test]
    fn lookups_ranges_and_false_positives() {
        for (bits, ranges) in [(8, true), (16, false), (32, true)] {
            let (c, members) = corpus(20_000, bits, ranges);
            assert_eq!(
                (c.bits(), c.has_ranges(), c.entries()),
                (bits, ranges, 20_001)
            );
            let expected = if ranges { Some(42) } else { None };
            assert_eq!(
                c.lookup_password("password").unwrap(),
                Some(Hit { count: expected })
            );
            assert!(c.may_hold(&password_hashes("password")));
            assert!(
                members.iter().all(|h| c.lookup(h).unwrap().is_some()),
                "no false negatives"
            );
            let strangers = (0..100_000)
                .filter(|i| c.lookup(&sha1(&format!("stranger {i}"))).unwrap().is_some())
                .count();
            match (bits, ranges) {
                // Confirmed against the sorted hashes: exact.
                (_, true) => assert_eq!(strangers, 0),
                // 2^-16 expected: a handful at most.
                _ => assert!(strangers < 20, "{strangers}"),
            }
            if ranges {
                let p = prefix_of(&sha1("password"));
                let range = c.range(p).unwrap();
                assert!(range.windows(2).all(|w| w[0].0 < w[1].0));
                assert!(range.iter().all(|(h, _)| prefix_of(h) == p));
                assert!(range.contains(&(sha1("password"), 42)));
                let total: usize = (0..format::RANGES as u32)
                    .step_by(4099)
                    .map(|p| c.range(p).unwrap().len())
                    .sum();
                assert!(total > 0);
            } else {
                assert_eq!(c.range(0).unwrap_err().code(), Code::BreachNoRanges);
            }
        }
    }

    #[test]
    fn damaged_files_are_refused() {
        let (c, _) = corpus(1000, 16, true);
        drop(c);
        let dir =
            std::env::temp_dir().join(format!("matkhau-breach-{}-16-true", std::process::id()));
        let good = std::fs::read(dir.join("c.mkb")).unwrap();
        let bad = dir.join("bad.mkb");
        for (what, bytes) in [
            ("truncated", good[..good.len() - 1].to_vec()),
            ("magic", [b"MKBREACX", &good[8..]].concat()),
            ("width", {
                let mut b = good.clone();
                b[12] = 12;
                b
            }),
            ("segments", {
                let mut b = good.clone();
                b[32] = 0xFF;
                b[33] = 0xFF;
                b
            }),
            ("index", {
                let mut b = good.clone();
                let at = b.len() - 1001 * 24 - 8;
                b[at] = 0xFF;
                b
            }),
            // A header alone whose fingerprint count makes the section end wrap around u64 (it
            // must not reach an allocation).
            ("wrapping sizes", {
                let mut b = good[..64].to_vec();
                b[12..16].copy_from_slice(&8u32.to_le_bytes());
                b[16..24].copy_from_slice(&0u64.to_le_bytes());
                let wrap = u64::MAX - (1u64 << 22) - 3;
                b[48..56].copy_from_slice(&wrap.to_le_bytes());
                b
            }),
        ] {
            std::fs::write(&bad, bytes).unwrap();
            let e = Corpus::open(&bad)
                .err()
                .unwrap_or_else(|| panic!("{what} accepted"));
            assert_eq!(e.code(), Code::BreachFormat, "{what}");
        }
    }

    #[test]
    fn prefixes() {
        let h = sha1("password");
        // 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
        assert_eq!(prefix_of(&h), 0x5BAA6);
        assert_eq!(parse_prefix("5baa6"), Some(0x5BAA6));
        for bad in ["5BAA", "5BAA6F", "5BAG6", "+BAA6", "５BAA6"] {
            assert_eq!(parse_prefix(bad), None, "{bad}");
        }
    }
}
