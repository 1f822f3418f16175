//! `matkhau policy` and `matkhau generate`.

use clap::Args;
use std::path::PathBuf;

/// Options shared by the policy commands.
#[derive(Args)]
pub struct PolicyArgs {
    /// Policy file (JSON); fields left out take the regulation's defaults.
    #[arg(long, env = "MATKHAU_POLICY")]
    pub policy: Option<PathBuf>,
}

/// Print the policy as pretty JSON.
pub fn print(args: &PolicyArgs) -> Result<(), String> {
    let policy = super::load_policy(args.policy.as_deref())?;
    let json = serde_json::to_string_pretty(&policy).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

/// Print one generated password.
pub fn generate(args: &PolicyArgs) -> Result<(), String> {
    let policy = super::load_policy(args.policy.as_deref())?;
    let mut entropy = [0u8; 32];
    getrandom::fill(&mut entropy).map_err(|e| format!("no OS randomness: {e}"))?;
    println!("{}", matkhau_core::generate(&policy, entropy));
    Ok(())
}
