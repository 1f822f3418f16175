//! `matkhau check`: the batch interface operators use to audit lists of passwords, answered by
//! the policy plug-in. Never prints a password: error lines name the line
//! number and the kind of fault only.

use super::PluginArgs;
use crate::clock::unix_now;
use crate::code::Coded;
use crate::plugin::{CallError, Engine};
use crate::text_enum::text_enum;
use clap::Args;
use matkhau_abi::{Context, Locale, RefusalCode};
use serde::Deserialize;
use std::io::{self, BufRead, BufWriter, Write};

text_enum! {
    /// Why an input line has no verdict (its error line's `code`; a plug-in failure gives the
    /// plug-in's `Code` instead).
    pub enum LineError {
        /// Not valid JSON.
        Json = "input.json",
        /// Not `{"password", "context"}` with known context fields.
        Shape = "input.shape",
        /// Not UTF-8.
        Utf8 = "input.utf8",
        /// Empty.
        Empty = "input.empty",
        /// Longer than [`MAX_LINE_BYTES`].
        TooLarge = "input.too_large",
    }
}

/// Longest accepted input line in bytes; longer lines get an `input.too_large` error line.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Options of `matkhau check`.
#[derive(Args)]
pub struct CheckArgs {
    /// Language of the messages: vi (default) or en (a region is allowed: vi-VN).
    #[arg(long, default_value = "vi")]
    pub locale: Locale,
    /// Plug-in and policy selection.
    #[command(flatten)]
    pub plugin: PluginArgs,
}

/// One input line; the context is checked by the plug-in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    password: crate::accounts::Secret,
    #[serde(default)]
    context: Option<Context>,
}

/// The message for a line whose shape the plug-in or the parser refused.
const SHAPE: &str =
    "expected {\"password\": string, \"context\": object} with known context fields";

/// The error line for input line `line`.
fn error_line(line: u64, code: &str, message: &str) -> String {
    serde_json::json!({ "error": { "code": code, "line": line, "message": message } }).to_string()
}

/// Describe a JSON error without quoting any of the input.
fn describe(e: &serde_json::Error) -> (&'static str, String) {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => (
            LineError::Json.as_str(),
            format!("not valid JSON (column {})", e.column()),
        ),
        Category::Data => (
            LineError::Shape.as_str(),
            format!("{SHAPE} (column {})", e.column()),
        ),
    }
}

/// Read one line of at most `MAX_LINE_BYTES` into `buf` (the rest of a longer line is skipped).
/// Returns `None` at end of input, `Some(Err(()))` for an over-long line.
fn read_line(input: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<Option<Result<(), ()>>> {
    buf.clear();
    let (mut too_long, mut any) = (false, false);
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let content = &chunk[..take - usize::from(done)];
        // One byte of slack for a trailing "\r".
        if !too_long && buf.len() + content.len() > MAX_LINE_BYTES + 1 {
            too_long = true;
            buf.clear();
        } else if !too_long {
            buf.extend_from_slice(content);
        }
        input.consume(take);
        if done {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if buf.ends_with(b"\r") {
        buf.pop();
    }
    Ok(Some(if too_long || buf.len() > MAX_LINE_BYTES {
        Err(())
    } else {
        Ok(())
    }))
}

/// The answer for one input line.
pub fn answer(line_no: u64, bytes: &[u8], engine: &Engine, locale: Locale) -> String {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return error_line(
            line_no,
            LineError::Utf8.as_str(),
            "the line is not valid UTF-8",
        );
    };
    if text.trim().is_empty() {
        return error_line(line_no, LineError::Empty.as_str(), "empty line");
    }
    match serde_json::from_str::<Line>(text) {
        Ok(l) => {
            let verdict = engine.evaluate(
                l.password.expose(),
                l.context.as_ref(),
                None,
                locale,
                unix_now(),
            );
            match verdict {
                Ok(verdict) => verdict.to_json(),
                Err(CallError::Refused(r)) if r.code != RefusalCode::PolicyInvalid => error_line(
                    line_no,
                    LineError::Shape.as_str(),
                    &format!("{SHAPE} (field `{}`)", r.field),
                ),
                Err(e) => error_line(line_no, e.code().as_str(), &e.to_string()),
            }
        }
        Err(e) => {
            let (code, message) = describe(&e);
            error_line(line_no, code, &message)
        }
    }
}

/// Run the batch check over standard input.
pub fn run(args: &CheckArgs) -> Result<(), String> {
    let engine = args.plugin.open()?;
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    while let Some(status) =
        read_line(&mut input, &mut buf).map_err(|e| format!("reading standard input: {e}"))?
    {
        line_no += 1;
        let answer = match status {
            Ok(()) => answer(line_no, &buf, &engine, args.locale),
            Err(()) => error_line(
                line_no,
                LineError::TooLarge.as_str(),
                &format!("line longer than {MAX_LINE_BYTES} bytes"),
            ),
        };
        writeln!(out, "{answer}").map_err(|e| format!("writing standard output: {e}"))?;
    }
    out.flush()
        .map_err(|e| format!("writing standard output: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<Result<Vec<u8>, ()>> {
        let mut r = io::BufReader::with_capacity(7, input);
        let mut buf = Vec::new();
        let mut out = vec![];
        while let Some(s) = read_line(&mut r, &mut buf).unwrap() {
            out.push(s.map(|()| buf.clone()));
        }
        out
    }

    #[test]
    fn splits_lines_and_caps_length() {
        assert_eq!(
            lines(b"a\nbc\r\n\nd"),
            vec![
                Ok(b"a".to_vec()),
                Ok(b"bc".to_vec()),
                Ok(vec![]),
                Ok(b"d".to_vec())
            ]
        );
        let mut big = vec![b'x'; MAX_LINE_BYTES + 10];
        big.extend_from_slice(b"\nok\n");
        assert_eq!(lines(&big), vec![Err(()), Ok(b"ok".to_vec())]);
        let exact = vec![b'y'; MAX_LINE_BYTES];
        assert_eq!(lines(&exact), vec![Ok(exact.clone())]);
    }
}
