//! `GET /v1/breach/range/{prefix}`: the k-anonymity range endpoint, compatible with Have I Been
//! Pwned's Pwned Passwords range API. A client sends the first 5 hex digits of a password's
//! SHA-1 and gets every hash suffix of that range (`SUFFIX:COUNT` lines), so the password never
//! leaves the client. Every answer is padded to 800–1,000 lines with random suffixes of count 0
//! (as HIBP does for `Add-Padding: true`), so its size tells nothing about the range.

use super::error::{ApiError, ErrorBody};
use super::App;
use crate::breach::{parse_prefix, Sha1Hash};
use crate::code::Code;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt::Write as _;
use std::sync::Arc;

/// Fewest lines an answer has (HIBP's padding range).
const PAD_MIN: usize = 800;
/// Most lines padding makes (an answer with more real suffixes is not padded further).
const PAD_MAX: usize = 1000;

/// The range's lines, real and padding, sorted so padding cannot be told by position.
fn padded(prefix: u32, real: &[(Sha1Hash, u32)]) -> Result<String, getrandom::Error> {
    let mut pick = [0u8; 2];
    getrandom::fill(&mut pick)?;
    let target = PAD_MIN + usize::from(u16::from_le_bytes(pick)) % (PAD_MAX - PAD_MIN + 1);
    let mut lines: Vec<(Sha1Hash, u32)> = real.to_vec();
    // Random hashes inside the prefix, drawn in one call; a collision (with 140 random bits,
    // never seen in practice) is removed by the dedup and drawn again.
    while lines.len() < target {
        let missing = target - lines.len();
        let mut random = vec![0u8; missing * 20];
        getrandom::fill(&mut random)?;
        for chunk in random.chunks_exact(20) {
            let mut h: Sha1Hash = chunk.try_into().expect("20-byte chunks");
            h[0] = (prefix >> 12) as u8;
            h[1] = (prefix >> 4) as u8;
            h[2] = ((prefix as u8 & 0xF) << 4) | (h[2] & 0xF);
            lines.push((h, 0));
        }
        // Real lines sort before equal padding (count 0 is the smallest), so dedup keeps them.
        lines.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        lines.dedup_by(|later, earlier| later.0 == earlier.0);
    }
    let mut out = String::with_capacity(lines.len() * 42);
    for (h, count) in lines {
        push_suffix(&mut out, &h);
        out.push(':');
        let _ = write!(out, "{count}");
        out.push_str("\r\n");
    }
    Ok(out)
}

/// Appends the 35 upper-case hex digits after a hash's 5-digit prefix.
fn push_suffix(out: &mut String, h: &Sha1Hash) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push(char::from(DIGITS[usize::from(h[2] & 0xF)]));
    for b in &h[3..] {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
}

/// The range of hash suffixes for a 5-hex prefix.
#[utoipa::path(get, path = "/v1/breach/range/{prefix}",
    params(("prefix" = String, Path, description = "The first 5 hex digits of the password's SHA-1")),
    responses(
        (status = 200, description = "`SUFFIX:COUNT` lines (CRLF), padded with count-0 lines", content_type = "text/plain"),
        (status = 400, description = "breach.bad_prefix", body = ErrorBody),
        (status = 503, description = "breach.unavailable: no corpus with ranges is configured", body = ErrorBody),
    ))]
pub(crate) async fn range(
    State(app): State<Arc<App>>,
    Path(prefix): Path<String>,
) -> Result<Response, ApiError> {
    let prefix = parse_prefix(&prefix).ok_or_else(|| {
        ApiError::new(Code::BreachBadPrefix, "the prefix is 5 hexadecimal digits")
    })?;
    let real = app.service.breach_range(prefix).await?;
    // Padding draws and sorts about a thousand hashes: off the async workers.
    let body = tokio::task::spawn_blocking(move || padded(prefix, &real))
        .await
        .map_err(|_| ApiError::new(Code::Internal, "the range was abandoned"))?
        .map_err(|_| ApiError::new(Code::Internal, "no OS randomness"))?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_hides_the_real_lines_and_keeps_them() {
        let real = crate::breach::sha1("password");
        let body = padded(0x5BAA6, &[(real, 42)]).unwrap();
        let lines: Vec<&str> = body.split_terminator("\r\n").collect();
        assert!(
            (PAD_MIN..=PAD_MAX).contains(&lines.len()),
            "{}",
            lines.len()
        );
        assert!(lines.contains(&"1E4C9B93F3F0682250B6CF8331B7EE68FD8:42"));
        assert_eq!(
            lines.iter().filter(|l| l.ends_with(":0")).count(),
            lines.len() - 1
        );
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
        assert!(lines.iter().all(|l| l.len() == 35 + 2 || l.len() == 35 + 3));
    }
}
