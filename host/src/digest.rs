//! Digests as the host writes them: lower-case hex.

use sha2::{Digest, Sha256};

/// SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
