//! Sealed mail bodies: a message that holds a temporary password is queued with its body
//! encrypted (ChaCha20-Poly1305, `ring`) under a key of the service's secret file, bound to a
//! label (the message's queue key, recipient and subject), so the database never holds the
//! password in clear and a body cannot be moved to another message or recipient. The mailer opens it just before delivery; the row's body is erased
//! once sent.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

/// Why a sealed body cannot be opened (damaged, another key, another message).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    /// The text is not a sealed body, or it does not authenticate under this key and queue key.
    #[error("a sealed mail body does not open with this secret file's key")]
    Unopenable,
    /// The operating system gave no randomness for a nonce.
    #[error("no randomness for a nonce")]
    Random,
}

/// The key that seals and opens queued bodies.
pub struct Sealer {
    key: LessSafeKey,
    random: SystemRandom,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<key>)")
    }
}

impl Sealer {
    /// A sealer with a 32-byte key.
    pub fn new(key: &[u8; 32]) -> Sealer {
        let key = UnboundKey::new(&CHACHA20_POLY1305, key).expect("a 32-byte ChaCha20 key");
        Sealer {
            key: LessSafeKey::new(key),
            random: SystemRandom::new(),
        }
    }

    /// Seals `body` for the message queued as `queue_key`: hex of a random nonce, the
    /// ciphertext and its tag.
    pub fn seal(&self, queue_key: &str, body: &str) -> Result<String, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        self.random
            .fill(&mut nonce)
            .map_err(|_| SealError::Random)?;
        let mut data = Zeroizing::new(body.as_bytes().to_vec());
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(queue_key.as_bytes()),
                &mut *data,
            )
            .map_err(|_| SealError::Unopenable)?;
        let mut out = hex::encode(nonce);
        out.push_str(&hex::encode(&*data));
        Ok(out)
    }

    /// Opens a body sealed for `queue_key`.
    pub fn open(&self, queue_key: &str, sealed: &str) -> Result<Zeroizing<String>, SealError> {
        let bytes = hex::decode(sealed).map_err(|_| SealError::Unopenable)?;
        if bytes.len() < NONCE_LEN {
            return Err(SealError::Unopenable);
        }
        let (nonce, data) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| SealError::Unopenable)?;
        let mut data = Zeroizing::new(data.to_vec());
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(queue_key.as_bytes()), &mut data)
            .map_err(|_| SealError::Unopenable)?;
        let text = std::str::from_utf8(plain).map_err(|_| SealError::Unopenable)?;
        Ok(Zeroizing::new(text.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_body_opens_only_for_its_message_and_key() {
        let s = Sealer::new(&[7; 32]);
        let sealed = s
            .seal("temporary:1:2", "Mật khẩu tạm thời: Ab#12345xyz")
            .unwrap();
        assert!(!sealed.contains("Ab#12345xyz"));
        assert_eq!(
            s.open("temporary:1:2", &sealed).unwrap().as_str(),
            "Mật khẩu tạm thời: Ab#12345xyz"
        );
        assert_eq!(s.open("temporary:1:3", &sealed), Err(SealError::Unopenable));
        assert_eq!(
            Sealer::new(&[8; 32]).open("temporary:1:2", &sealed),
            Err(SealError::Unopenable)
        );
        let mut flipped = sealed.into_bytes();
        let last = flipped.len() - 1;
        flipped[last] = if flipped[last] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(
            s.open("temporary:1:2", &flipped),
            Err(SealError::Unopenable)
        );
        assert_eq!(s.open("temporary:1:2", "zz"), Err(SealError::Unopenable));
        // Two seals of one body differ (fresh nonces).
        assert_ne!(s.seal("k", "x").unwrap(), s.seal("k", "x").unwrap());
    }
}
