//! Strong, easy-to-type passwords from caller-supplied entropy (so core stays pure).

use crate::{evaluate, Context, Locale, Policy};
use sha2::{Digest, Sha256};

/// Letters and digits that cannot be mistaken for one another (no I/l/1, O/o/0).
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
const DIGIT: &[u8] = b"23456789";
const SPECIAL: &[u8] = b"@#$%&*+=?!";

/// A deterministic byte stream: SHA-256 of (entropy, counter) blocks.
struct Stream {
    seed: [u8; 32],
    counter: u64,
    block: [u8; 32],
    used: usize,
}

impl Stream {
    fn new(seed: [u8; 32]) -> Self {
        Stream {
            seed,
            counter: 0,
            block: [0; 32],
            used: 32,
        }
    }

    fn byte(&mut self) -> u8 {
        if self.used == 32 {
            let mut h = Sha256::new();
            h.update(self.seed);
            h.update(self.counter.to_le_bytes());
            self.block.copy_from_slice(&h.finalize());
            self.counter += 1;
            self.used = 0;
        }
        self.used += 1;
        self.block[self.used - 1]
    }

    /// Uniform in 0..n (n ≤ 65536), by rejection sampling over two bytes.
    fn below_wide(&mut self, n: usize) -> usize {
        let limit = 65536 - 65536 % n;
        loop {
            let b = usize::from(self.byte()) << 8 | usize::from(self.byte());
            if b < limit {
                return b % n;
            }
        }
    }

    /// Uniform in 0..n (n ≤ 256), by rejection sampling.
    fn below(&mut self, n: usize) -> usize {
        let limit = 256 - 256 % n;
        loop {
            let b = usize::from(self.byte());
            if b < limit {
                return b % n;
            }
        }
    }
}

fn candidate(policy: &Policy, s: &mut Stream) -> String {
    let len = policy.generated_length as usize;
    let all: Vec<u8> = [UPPER, LOWER, DIGIT, SPECIAL].concat();
    let mut out: Vec<u8> = (0..len).map(|_| all[s.below(all.len())]).collect();
    // Put one character of each required class at distinct random positions.
    let required: Vec<&[u8]> = [
        (policy.require_upper, UPPER),
        (policy.require_lower, LOWER),
        (policy.require_digit, DIGIT),
        (policy.require_special, SPECIAL),
    ]
    .into_iter()
    .filter_map(|(on, set)| on.then_some(set))
    .collect();
    let mut positions: Vec<usize> = (0..len).collect();
    for set in required {
        let p = positions.swap_remove(s.below(positions.len()));
        out[p] = set[s.below(set.len())];
    }
    String::from_utf8(out).unwrap_or_default()
}

/// A random password of `policy.generated_length` characters that `policy` accepts, the same
/// for the same `entropy`. Draws again (deterministically) until the policy accepts it.
pub fn generate(policy: &Policy, entropy: [u8; 32]) -> String {
    let mut stream = Stream::new(entropy);
    let ctx = Context::default();
    let mut last = String::new();
    for _ in 0..64 {
        last = candidate(policy, &mut stream);
        if evaluate(&last, &ctx, policy, Locale::Vi).accepted {
            return last;
        }
    }
    last
}

/// Given names this common are left out of passphrases (the estimator ranks them too well).
const PASSPHRASE_SKIP: usize = 60;
/// Separators between the words (each counts as a special character).
const SEPARATORS: &[u8] = b"-.";

/// A passphrase the policy accepts, that a Vietnamese user can type on any keyboard and
/// remember: four or more capitalised words (given-name syllables such as "Thao", "Bien",
/// "Xuan"), one separator between them and three digits at the end, e.g. `Khue-Tram-Luan-Vy-384`.
/// Four words of about 420 and three digits give about 45 bits; more words are added while the
/// policy asks for more length. Judged with `ctx` (the user's data), so a suggestion never
/// holds the user's own name. Deterministic for the same `entropy`; falls back to
/// [`generate`] when no draw passes.
pub fn passphrase(policy: &Policy, ctx: &Context, entropy: [u8; 32]) -> String {
    let words = crate::strength::dict::passphrase_words(PASSPHRASE_SKIP);
    let mut stream = Stream::new(entropy);
    let min = policy.min_length as usize;
    let max = policy.max_length as usize;
    for _ in 0..32 {
        if words.is_empty() || words.len() > 65536 {
            break;
        }
        let sep = char::from(SEPARATORS[stream.below(SEPARATORS.len())]);
        let mut parts: Vec<String> = Vec::new();
        loop {
            let w = &words[stream.below_wide(words.len())];
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            parts.push(first.into_iter().chain(chars).collect());
            let len: usize = parts.iter().map(|p| p.len() + 1).sum::<usize>() + 3;
            if parts.len() >= 4 && len >= min {
                break;
            }
            if parts.len() > 16 {
                break;
            }
        }
        let digits: String = (0..3)
            .map(|_| char::from(DIGIT[stream.below(DIGIT.len())]))
            .collect();
        parts.push(digits);
        let candidate = parts.join(&sep.to_string());
        if candidate.chars().count() <= max
            && evaluate(&candidate, ctx, policy, Locale::Vi).accepted
        {
            return candidate;
        }
    }
    generate(policy, entropy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_accepted() {
        let p = Policy::default();
        let a = generate(&p, [7; 32]);
        assert_eq!(a, generate(&p, [7; 32]));
        assert_ne!(a, generate(&p, [8; 32]));
        assert_eq!(a.chars().count(), 16);
        assert!(evaluate(&a, &Context::default(), &p, Locale::En).accepted);
        assert!(!a.contains(['0', 'O', 'o', '1', 'l', 'I']));
    }

    #[test]
    fn passphrases_are_words_and_accepted() {
        let p = Policy::default();
        for seed in 0..20u8 {
            let ctx = Context::default();
            let a = passphrase(&p, &ctx, [seed; 32]);
            assert_eq!(a, passphrase(&p, &ctx, [seed; 32]));
            assert!(
                evaluate(&a, &Context::default(), &p, Locale::Vi).accepted,
                "{a}"
            );
            let parts: Vec<&str> = a.split(['-', '.']).collect();
            assert!(parts.len() >= 5, "{a}");
            assert!(a.is_ascii(), "{a}");
            assert!(parts[..parts.len() - 1]
                .iter()
                .all(|w| w.chars().next().is_some_and(|c| c.is_ascii_uppercase())));
        }
    }
}
