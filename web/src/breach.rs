//! Breached-password screening from the portal without sending the password: the first 5 hex
//! digits of its SHA-1 go to the host's `GET /v1/breach/range/{prefix}` (k-anonymity, padded
//! answers) and the rest of the hash is matched here, as typed and in Unicode NFC like the host.
//! What is found is handed to the engine as its exposure input, so the verdict gets the host's
//! `breach` check.

use matkhau_core::Exposure;
use sha1::{Digest, Sha1};
use std::cell::Cell;
use unicode_normalization::UnicodeNormalization;

thread_local! {
    /// Set once the host answered that it has no breach corpus: not asked again.
    static UNAVAILABLE: Cell<bool> = const { Cell::new(false) };
}

/// Whether lookups are worth making (the host has not said it cannot answer them).
pub fn available() -> bool {
    !UNAVAILABLE.with(Cell::get)
}

/// Reads the host's `/v1/policy` answer: a host that says it serves no ranges is not asked.
pub fn configure(policy_answer: &serde_json::Value) {
    if policy_answer["breach"]["range"] == false {
        UNAVAILABLE.with(|u| u.set(true));
    }
}

/// What a lookup gave.
pub enum Lookup {
    /// The host's corpus answered.
    Found(Exposure),
    /// The host has no corpus (503); [`available`] is false from now on.
    Unavailable,
    /// The host could not be reached or answered an error; a later lookup may work.
    Failed,
}

fn upper_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
    out
}

/// Whether a range answer (`SUFFIX:COUNT` lines) lists `suffix` with a count above 0.
fn listed(answer: &str, suffix: &str) -> bool {
    answer.lines().any(|line| {
        line.trim()
            .split_once(':')
            .is_some_and(|(s, count)| s.eq_ignore_ascii_case(suffix) && count.trim() != "0")
    })
}

/// Looks `password` up in the host's breach corpus.
pub async fn lookup(password: &str) -> Lookup {
    let nfc: String = password.nfc().collect();
    let mut hashes = vec![upper_hex(&Sha1::digest(password.as_bytes()))];
    if nfc != password {
        hashes.push(upper_hex(&Sha1::digest(nfc.as_bytes())));
    }
    let mut breached = false;
    for hash in hashes {
        let Some(reply) = crate::api::get(&format!("/v1/breach/range/{}", &hash[..5])).await else {
            return Lookup::Failed;
        };
        if reply.status == 503 {
            UNAVAILABLE.with(|u| u.set(true));
            return Lookup::Unavailable;
        }
        if !reply.ok() {
            return Lookup::Failed;
        }
        breached |= listed(&reply.text, &hash[5..]);
    }
    Lookup::Found(Exposure {
        breached,
        reported: false,
    })
}
