//! The corpus file (`.mkb`), little-endian throughout:
//!
//! | bytes | content |
//! |---|---|
//! | 0–7 | magic `MKBREACH` |
//! | 8–11 | version (1) |
//! | 12–15 | fingerprint bits (8, 16, 32) |
//! | 16–23 | distinct hashes |
//! | 24–43 | the filter's descriptor: seed u64, segment length, its mask, segment count × length (u32 each) |
//! | 44–47 | flags: bit 0 = sorted hashes kept |
//! | 48–55 | fingerprints |
//! | 56–63 | zero |
//! | 64– | fingerprints (bits/8 bytes each) |
//! | then | with sorted hashes: 2^20 + 1 record offsets (u32), one per 5-hex range plus the end |
//! | then | the records: SHA-1 (20 bytes) and count (u32), sorted by hash |

use super::{BreachError, Fuse, Sha1Hash};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use xorf::{BinaryFuse16, BinaryFuse32, BinaryFuse8, Descriptor};

const MAGIC: &[u8; 8] = b"MKBREACH";
const VERSION: u32 = 1;
const HEADER: u64 = 64;
/// Ranges: every 5-hex prefix.
pub const RANGES: usize = 1 << 20;
/// Bytes per record.
pub const RECORD: usize = 24;
const FLAG_RANGES: u32 = 1;

/// The fixed header.
#[derive(Debug, Clone)]
pub struct Header {
    /// Fingerprint width.
    pub bits: u32,
    /// Distinct hashes.
    pub entries: u64,
    /// The filter's descriptor.
    pub descriptor: Descriptor,
    /// Whether the sorted hashes are kept.
    pub ranges: bool,
    /// Fingerprints stored.
    pub fingerprints: u64,
}

/// Where the sections start.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// First byte of the records.
    pub records: u64,
}

fn descriptor_of(fuse: &Fuse) -> Descriptor {
    match fuse {
        Fuse::B8(f) => f.descriptor.clone(),
        Fuse::B16(f) => f.descriptor.clone(),
        Fuse::B32(f) => f.descriptor.clone(),
    }
}

/// A record's bytes → (hash, count).
pub fn decode_record(r: &[u8]) -> (Sha1Hash, u32) {
    let mut hash = [0u8; 20];
    hash.copy_from_slice(&r[..20]);
    let mut count = [0u8; 4];
    count.copy_from_slice(&r[20..24]);
    (hash, u32::from_le_bytes(count))
}

/// Writes a corpus file: to `path.tmp`, then renamed over `path`, so a reader never sees half.
/// `records` must be sorted by hash and distinct; `None` keeps the filter only.
pub fn write(
    path: &Path,
    fuse: &Fuse,
    entries: u64,
    records: Option<&[(Sha1Hash, u32)]>,
) -> Result<u64, BreachError> {
    let io = |e: std::io::Error| BreachError::Io(format!("cannot write {}: {e}", path.display()));
    let tmp = path.with_extension("mkb.tmp");
    let file = File::create(&tmp).map_err(io)?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let d = descriptor_of(fuse);
    let fingerprints = (fuse.size_bytes() / (fuse.bits() as usize / 8)) as u64;
    let mut header = Vec::with_capacity(HEADER as usize);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&VERSION.to_le_bytes());
    header.extend_from_slice(&fuse.bits().to_le_bytes());
    header.extend_from_slice(&entries.to_le_bytes());
    header.extend_from_slice(&d.seed.to_le_bytes());
    header.extend_from_slice(&d.segment_length.to_le_bytes());
    header.extend_from_slice(&d.segment_length_mask.to_le_bytes());
    header.extend_from_slice(&d.segment_count_length.to_le_bytes());
    let flags = if records.is_some() { FLAG_RANGES } else { 0 };
    header.extend_from_slice(&flags.to_le_bytes());
    header.extend_from_slice(&fingerprints.to_le_bytes());
    header.resize(HEADER as usize, 0);
    w.write_all(&header).map_err(io)?;
    match fuse {
        Fuse::B8(f) => w.write_all(&f.fingerprints).map_err(io)?,
        Fuse::B16(f) => {
            for x in f.fingerprints.iter() {
                w.write_all(&x.to_le_bytes()).map_err(io)?;
            }
        }
        Fuse::B32(f) => {
            for x in f.fingerprints.iter() {
                w.write_all(&x.to_le_bytes()).map_err(io)?;
            }
        }
    }
    if let Some(records) = records {
        if u32::try_from(records.len()).is_err() {
            return Err(BreachError::TooLarge(
                "more than 2^32 hashes: import with --no-ranges".into(),
            ));
        }
        let mut next = 0usize;
        for prefix in 0..=RANGES as u32 {
            while next < records.len() && super::prefix_of(&records[next].0) < prefix {
                next += 1;
            }
            w.write_all(&(next as u32).to_le_bytes()).map_err(io)?;
        }
        for (hash, count) in records {
            w.write_all(hash).map_err(io)?;
            w.write_all(&count.to_le_bytes()).map_err(io)?;
        }
    }
    let file = w.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    std::fs::rename(&tmp, path).map_err(io)?;
    Ok(size)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut x = [0u8; 4];
    x.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(x)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

/// A corpus file read: its header, filter, range index (when kept) and layout.
pub struct Opened {
    /// The header.
    pub header: Header,
    /// The filter.
    pub fuse: Fuse,
    /// Where each range starts, in records, plus the end.
    pub index: Option<Vec<u32>>,
    /// Where the records start.
    pub layout: Layout,
}

/// Reads and checks a corpus file: the header, the filter and the range index into memory; the
/// records stay on disk.
pub fn read(file: &File) -> Result<Opened, BreachError> {
    let bad = |what: &str| BreachError::Format(format!("not a corpus file: {what}"));
    let io = |e: std::io::Error| BreachError::Io(format!("corpus read: {e}"));
    let len = file.metadata().map_err(io)?.len();
    let mut h = [0u8; HEADER as usize];
    file.read_exact_at(&mut h, 0)
        .map_err(|_| bad("too short"))?;
    if &h[..8] != MAGIC {
        return Err(bad("wrong magic"));
    }
    if u32_at(&h, 8) != VERSION {
        return Err(bad("unknown version"));
    }
    let header = Header {
        bits: u32_at(&h, 12),
        entries: u64_at(&h, 16),
        descriptor: Descriptor {
            seed: u64_at(&h, 24),
            segment_length: u32_at(&h, 32),
            segment_length_mask: u32_at(&h, 36),
            segment_count_length: u32_at(&h, 40),
        },
        ranges: u32_at(&h, 44) & FLAG_RANGES != 0,
        fingerprints: u64_at(&h, 48),
    };
    if !matches!(header.bits, 8 | 16 | 32) {
        return Err(bad("fingerprint width"));
    }
    let width = u64::from(header.bits / 8);
    let fp_bytes = header
        .fingerprints
        .checked_mul(width)
        .ok_or_else(|| bad("size"))?;
    // Every section must fit in the file before anything is allocated for it.
    let index_at = HEADER
        .checked_add(fp_bytes)
        .filter(|&end| end <= len)
        .ok_or_else(|| bad("sections do not match the file's size"))?;
    let records_at = match header.ranges {
        true => index_at
            .checked_add((RANGES as u64 + 1) * 4)
            .ok_or_else(|| bad("size"))?,
        false => index_at,
    };
    let expected = match header.ranges {
        true => header
            .entries
            .checked_mul(RECORD as u64)
            .and_then(|r| r.checked_add(records_at)),
        false => Some(records_at),
    };
    // The fuse construction's own bounds: every segment index it computes is inside the array.
    let d = &header.descriptor;
    let needed = u64::from(d.segment_count_length) + 2 * u64::from(d.segment_length);
    if expected != Some(len)
        || needed > header.fingerprints
        || needed > u64::from(u32::MAX)
        || !d.segment_length.is_power_of_two()
        || !d.segment_count_length.is_multiple_of(d.segment_length)
        || d.segment_length_mask != d.segment_length.wrapping_sub(1)
    {
        return Err(bad("sections do not match the file's size"));
    }
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut skip = [0u8; HEADER as usize];
    reader.read_exact(&mut skip).map_err(io)?;
    let mut fp = vec![0u8; fp_bytes as usize];
    reader.read_exact(&mut fp).map_err(io)?;
    let descriptor = header.descriptor.clone();
    let fuse = match header.bits {
        8 => Fuse::B8(BinaryFuse8 {
            descriptor,
            fingerprints: fp.into_boxed_slice(),
        }),
        16 => Fuse::B16(BinaryFuse16 {
            descriptor,
            fingerprints: fp
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect(),
        }),
        _ => Fuse::B32(BinaryFuse32 {
            descriptor,
            fingerprints: fp
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        }),
    };
    let index = match header.ranges {
        false => None,
        true => {
            let mut raw = vec![0u8; (RANGES + 1) * 4];
            reader.read_exact(&mut raw).map_err(io)?;
            let index: Vec<u32> = raw.chunks_exact(4).map(|c| u32_at(c, 0)).collect();
            let ordered = index.windows(2).all(|w| w[0] <= w[1]);
            if index[0] != 0 || u64::from(index[RANGES]) != header.entries || !ordered {
                return Err(bad("the range index is inconsistent"));
            }
            Some(index)
        }
    };
    Ok(Opened {
        header,
        fuse,
        index,
        layout: Layout {
            records: records_at,
        },
    })
}
