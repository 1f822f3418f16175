//! `matkhau plugin inspect|export`: what an operator pins, audits and serves.

use super::PluginArgs;
use crate::plugin::EMBEDDED;
use clap::Subcommand;
use std::path::PathBuf;

/// `matkhau plugin …`
#[derive(Subcommand)]
pub enum PluginCommand {
    /// Load a plug-in (the embedded one when no FILE is named), run its self-check, and print its
    /// ABI version, SHA-256, policy id and digest, size, imports and exports.
    Inspect {
        /// Plug-in file; the embedded plug-in when left out.
        file: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Plug-in and policy selection.
        #[command(flatten)]
        plugin: PluginArgs,
    },
    /// Write the embedded plug-in to FILE, byte for byte.
    Export {
        /// Where to write the .wasm file.
        file: PathBuf,
    },
}

/// Run a `plugin` sub-command.
pub fn run(command: &PluginCommand) -> Result<(), String> {
    match command {
        PluginCommand::Inspect { file, json, plugin } => inspect(file.as_ref(), *json, plugin),
        PluginCommand::Export { file } => {
            std::fs::write(file, EMBEDDED)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            eprintln!(
                "wrote {} ({} bytes, SHA-256 {})",
                file.display(),
                EMBEDDED.len(),
                crate::digest::sha256_hex(EMBEDDED)
            );
            Ok(())
        }
    }
}

fn inspect(file: Option<&PathBuf>, json: bool, args: &PluginArgs) -> Result<(), String> {
    let mut args = args.clone();
    if let Some(file) = file {
        args.policy_plugin = Some(file.clone());
    }
    let engine = args.open()?;
    let plugin = engine.plugin();
    let info = plugin.info();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(info).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    let list = |items: &[crate::plugin::Item]| {
        items
            .iter()
            .map(|i| format!("{} ({})", i.name, i.kind))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("source:        {}", info.source);
    println!("sha256:        {}", info.sha256);
    println!("size:          {} bytes", info.size);
    println!("abi version:   {}", info.abi_version);
    println!("core version:  {}", info.core_version);
    println!("policy id:     {}", info.policy_id);
    println!("policy digest: {}", info.policy_digest);
    println!("imports:       {}", list(&info.imports));
    println!("exports:       {}", list(&info.exports));
    println!("self-check:    passed");
    Ok(())
}
