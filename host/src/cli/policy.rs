//! `matkhau policy` and `matkhau generate`, answered by the policy plug-in.

use super::PluginArgs;
use crate::clock::unix_now;
use crate::code::Coded;
use zeroize::Zeroize;

/// Print the policy as pretty JSON.
pub fn print(args: &PluginArgs) -> Result<(), String> {
    let engine = args.open()?;
    let plugin = engine.plugin();
    let json =
        serde_json::to_string_pretty(&plugin.description().policy).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

/// Print one generated password (entropy from the OS).
pub fn generate(args: &PluginArgs) -> Result<(), String> {
    let engine = args.open()?;
    let mut entropy = [0u8; 32];
    getrandom::fill(&mut entropy).map_err(|e| format!("no OS randomness: {e}"))?;
    let mut generated = engine
        .generate(entropy, unix_now())
        .map_err(|e| e.describe())?;
    entropy.zeroize();
    println!("{}", generated.password);
    generated.password.zeroize();
    Ok(())
}
