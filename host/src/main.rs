//! `matkhau`: the password-policy host's command line.

use clap::{Parser, Subcommand};
use matkhau_host::cli;
use std::process::ExitCode;

/// matkhau — password policy for the BHXH public-service portal.
#[derive(Parser)]
#[command(name = "matkhau", version, about)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check passwords: JSON lines {"password": "...", "context": {...}} on standard input, one
    /// verdict JSON line per input line on standard output, in order.
    Check(cli::check::CheckArgs),
    /// Print the active policy as JSON (the defaults, or --policy FILE after validation).
    Policy(cli::PluginArgs),
    /// Print a strong password generated under the policy from the OS's random source.
    Generate(cli::PluginArgs),
    /// Serve the HTTP API (accounts, login, password changes, admin) on localhost. SIGHUP
    /// reloads the policy plug-in.
    Serve(Box<cli::serve::ServeArgs>),
    /// Apply the inactivity and expiry rules once (lock idle organisation accounts, queue expiry
    /// warnings, send queued mail) and print what was done.
    Sweep(cli::sweep::SweepArgs),
    /// Handle a leaked-account report: verify, reset, lock, blocklist, report.
    #[command(subcommand)]
    Leaked(cli::leaked::LeakedCommand),
    /// List abnormal accounts: failed logins from many addresses, logins after a leak report,
    /// accounts never used.
    Report(cli::report::ReportArgs),
    /// Import a breached-password corpus (Have I Been Pwned formats) or describe one.
    #[command(subcommand)]
    Breach(cli::breach::BreachCommand),
    /// Inspect or export the policy plug-in.
    #[command(subcommand)]
    Plugin(cli::plugin::PluginCommand),
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        Command::Check(a) => cli::check::run(&a),
        Command::Policy(a) => cli::policy::print(&a),
        Command::Generate(a) => cli::policy::generate(&a),
        Command::Plugin(c) => cli::plugin::run(&c),
        Command::Breach(c) => cli::breach::run(&c),
        Command::Leaked(c) => cli::leaked::run(&c),
        Command::Report(a) => cli::report::run(&a),
        Command::Serve(a) => cli::serve::run(&a),
        Command::Sweep(a) => cli::sweep::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("matkhau: {e}");
            ExitCode::from(2)
        }
    }
}
