//! `matkhau policy` and `matkhau generate`, answered by the policy plug-in.

use super::PluginArgs;
use crate::plugin::{unix_now, Answer};

fn result(answer: Answer) -> Result<serde_json::Value, String> {
    match answer {
        Answer::Ok(text) => serde_json::from_str(&text).map_err(|e| e.to_string()),
        Answer::Refused(r) => Err(format!("{} ({}): {}", r.code, r.field, r.message)),
    }
}

/// Print the policy as pretty JSON.
pub fn print(args: &PluginArgs) -> Result<(), String> {
    let engine = args.open()?;
    let plugin = engine.plugin();
    let json =
        serde_json::to_string_pretty(&plugin.description()["policy"]).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

/// Print one generated password (entropy from the OS).
pub fn generate(args: &PluginArgs) -> Result<(), String> {
    let engine = args.open()?;
    let mut entropy = [0u8; 32];
    getrandom::fill(&mut entropy).map_err(|e| format!("no OS randomness: {e}"))?;
    let generated = result(
        engine
            .generate(entropy, unix_now())
            .map_err(|e| e.to_string())?,
    )?;
    println!("{}", generated["password"].as_str().unwrap_or_default());
    Ok(())
}
