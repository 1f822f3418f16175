//! The breach corpus at scale: `MATKHAU_BENCH_HASHES` synthetic SHA-1 hashes (default 10
//! million) written in Have I Been Pwned's `HASH:COUNT` format and imported with
//! `matkhau breach import`'s code; then, for binary fuse filters of 8, 16 and 32 bits and for the
//! plain alternatives (a sorted list searched by bisection, a hash set): bytes per hash, build
//! time, the false-positive rate measured on as many hashes not in the set, and (criterion)
//! lookup time. `cargo bench -p matkhau-host --bench breach`; figures in docs/breach.md.

use criterion::{criterion_group, criterion_main, Criterion};
use indicatif::ProgressBar;
use matkhau_host::breach::{import, key_of, Corpus, Fuse, Sha1Hash};
use sha1::{Digest, Sha1};
use std::collections::HashSet;
use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

/// The i-th synthetic hash: members use even i, non-members odd i.
fn hash(i: u64) -> Sha1Hash {
    Sha1::digest(i.to_le_bytes()).into()
}

fn count() -> u64 {
    std::env::var("MATKHAU_BENCH_HASHES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000_000)
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / 1048576.0)
}

fn benches(c: &mut Criterion) {
    let n = count();
    let dir = std::env::temp_dir().join("matkhau-breach-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let members: Vec<Sha1Hash> = (0..n).map(|i| hash(2 * i)).collect();
    let strangers: Vec<Sha1Hash> = (0..n).map(|i| hash(2 * i + 1)).collect();

    // Import: the HIBP text file → the corpus file (filter + sorted hashes), as the CLI does.
    let text = dir.join("pwned.txt");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&text).unwrap());
        for (i, h) in members.iter().enumerate() {
            for b in h {
                write!(w, "{b:02X}").unwrap();
            }
            writeln!(w, ":{}", i % 1000 + 1).unwrap();
        }
    }
    let text_bytes = std::fs::metadata(&text).unwrap().len();
    let out = dir.join("corpus.mkb");
    let started = Instant::now();
    let options = import::Options {
        bits: 16,
        ranges: true,
    };
    let report = import::run(
        std::slice::from_ref(&text),
        &out,
        options,
        &ProgressBar::hidden(),
    )
    .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "import {n} hashes ({}): {seconds:.1} s = {:.2} M hashes/s (read {:.1} s, sort+filter {:.1} s, write {:.1} s); corpus file {} = {:.1} B/hash",
        mib(text_bytes as f64),
        n as f64 / seconds / 1e6,
        report.read_seconds,
        report.build_seconds,
        report.write_seconds,
        mib(report.file_bytes as f64),
        report.file_bytes as f64 / n as f64
    );
    std::fs::remove_file(&text).unwrap();

    let keys: Vec<u64> = {
        let mut k: Vec<u64> = members.iter().map(key_of).collect();
        k.sort_unstable();
        k.dedup();
        k
    };
    let mut group = c.benchmark_group("breach");
    for bits in [8u32, 16, 32] {
        let started = Instant::now();
        let fuse = Fuse::build(&keys, bits).unwrap();
        let build = started.elapsed().as_secs_f64();
        let false_positives = strangers
            .iter()
            .filter(|h| fuse.contains(key_of(h)))
            .count();
        println!(
            "fuse{bits}: {:.2} bytes/hash ({}), build {build:.2} s, false positives {false_positives} of {n} = {:.3e}",
            fuse.size_bytes() as f64 / n as f64,
            mib(fuse.size_bytes() as f64),
            false_positives as f64 / n as f64
        );
        let mut i = 0usize;
        group.bench_function(format!("fuse{bits}/miss"), |b| {
            b.iter(|| {
                i = (i + 7919) % strangers.len();
                black_box(fuse.contains(key_of(&strangers[i])))
            })
        });
        group.bench_function(format!("fuse{bits}/hit"), |b| {
            b.iter(|| {
                i = (i + 7919) % members.len();
                black_box(fuse.contains(key_of(&members[i])))
            })
        });
    }
    drop(keys);

    // The corpus as served: filter, then the range read from disk for hits (page cache warm).
    let corpus = Corpus::open(&out).unwrap();
    println!(
        "corpus in memory: {} ({:.2} bytes/hash: filter + range index)",
        mib(corpus.memory_bytes() as f64),
        corpus.memory_bytes() as f64 / n as f64
    );
    let mut i = 0usize;
    group.bench_function("corpus/miss", |b| {
        b.iter(|| {
            i = (i + 7919) % strangers.len();
            black_box(corpus.lookup(&strangers[i]).unwrap())
        })
    });
    group.bench_function("corpus/hit", |b| {
        b.iter(|| {
            i = (i + 7919) % members.len();
            black_box(corpus.lookup(&members[i]).unwrap())
        })
    });
    group.bench_function("corpus/range", |b| {
        b.iter(|| {
            i = (i + 7919) % members.len();
            black_box(
                corpus
                    .range(matkhau_host::breach::prefix_of(&members[i]))
                    .unwrap(),
            )
        })
    });
    drop(corpus);
    std::fs::remove_file(&out).unwrap();

    // The plain alternatives, exact (no false positives).
    let started = Instant::now();
    let mut sorted = members.clone();
    sorted.sort_unstable();
    println!(
        "sorted list: {:.1} bytes/hash ({}), build {:.2} s",
        (sorted.len() * 20) as f64 / n as f64,
        mib((sorted.len() * 20) as f64),
        started.elapsed().as_secs_f64()
    );
    group.bench_function("sorted/miss", |b| {
        b.iter(|| {
            i = (i + 7919) % strangers.len();
            black_box(sorted.binary_search(&strangers[i]).is_ok())
        })
    });
    group.bench_function("sorted/hit", |b| {
        b.iter(|| {
            i = (i + 7919) % members.len();
            black_box(sorted.binary_search(&members[i]).is_ok())
        })
    });
    drop(sorted);
    let started = Instant::now();
    let set: HashSet<Sha1Hash> = members.iter().copied().collect();
    // hashbrown: one control byte per bucket beside each 20-byte slot.
    let bytes = set.capacity() as f64 * 8.0 / 7.0 * 21.0;
    println!(
        "hash set: ≈{:.1} bytes/hash (≈{}), build {:.2} s",
        bytes / n as f64,
        mib(bytes),
        started.elapsed().as_secs_f64()
    );
    group.bench_function("hashset/miss", |b| {
        b.iter(|| {
            i = (i + 7919) % strangers.len();
            black_box(set.contains(&strangers[i]))
        })
    });
    group.bench_function("hashset/hit", |b| {
        b.iter(|| {
            i = (i + 7919) % members.len();
            black_box(set.contains(&members[i]))
        })
    });
    group.finish();
}

criterion_group! {
    name = breach;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_secs(1)).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(breach);
