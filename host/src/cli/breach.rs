//! `matkhau breach`: imports a Have I Been Pwned corpus into the file `serve --breach-corpus`
//! screens passwords against, and describes such a file.

use crate::breach::{import, Corpus};
use crate::code::Coded;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::path::PathBuf;

/// `matkhau breach …`.
#[derive(Subcommand, Clone, Debug)]
pub enum BreachCommand {
    /// Import `HASH:COUNT` files, range files (`5BAA6.txt`) or folders of them into a corpus file.
    Import(ImportArgs),
    /// Describe a corpus file (hashes, filter width, memory it needs).
    Info {
        /// The corpus file.
        file: PathBuf,
    },
}

/// Options of `matkhau breach import`.
#[derive(Args, Clone, Debug)]
pub struct ImportArgs {
    /// The corpus file to write (replaced atomically when it exists).
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,
    /// Fingerprint bits of the filter: 8 (≈ 0.4 % false positives), 16 (≈ 1.5 × 10^-5) or 32
    /// (≈ 2.3 × 10^-10). With the sorted hashes kept, hits are confirmed and this only sets how
    /// often the disk is read.
    #[arg(long, default_value_t = 16, value_parser = parse_bits)]
    pub bits: u32,
    /// Keep only the filter: no counts, no range endpoint, and the filter's false positives are
    /// final (24 bytes per hash less on disk).
    #[arg(long)]
    pub no_ranges: bool,
    /// Input files or folders.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
}

fn parse_bits(s: &str) -> Result<u32, String> {
    match s {
        "8" | "16" | "32" => s.parse().map_err(|_| "8, 16 or 32".to_string()),
        _ => Err("8, 16 or 32".to_string()),
    }
}

/// Runs `matkhau breach …`.
pub fn run(command: &BreachCommand) -> Result<(), String> {
    match command {
        BreachCommand::Import(args) => {
            let files = import::inputs(&args.inputs).map_err(|e| e.describe())?;
            if files.is_empty() {
                return Err("no input files (folders are searched for 5-hex range files)".into());
            }
            let bar = ProgressBar::new(0).with_style(
                ProgressStyle::with_template(
                    "{spinner} {bytes}/{total_bytes} {wide_bar} {eta} {msg}",
                )
                .map_err(|e| e.to_string())?,
            );
            let options = import::Options {
                bits: args.bits,
                ranges: !args.no_ranges,
            };
            let report = import::run(&files, &args.out, options, &bar);
            bar.finish_and_clear();
            let report = report.map_err(|e| e.describe())?;
            println!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
            );
            Ok(())
        }
        BreachCommand::Info { file } => {
            let corpus = Corpus::open(file).map_err(|e| e.describe())?;
            let info = json!({
                "file": file.display().to_string(),
                "hashes": corpus.entries(),
                "bits": corpus.bits(),
                "ranges": corpus.has_ranges(),
                "memory_bytes": corpus.memory_bytes(),
            });
            println!("{info:#}");
            Ok(())
        }
    }
}
