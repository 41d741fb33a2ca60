//! Random tokens and hashing, in one place: tracking tokens, API keys, sign-in links, the
//! CSP nonce and request fingerprints all come from here.
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// `n` random bytes from the operating system, as lower-case hex.
pub fn random_hex<const N: usize>() -> Result<String, AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal("random bytes", e))?;
    Ok(hex(&bytes))
}

/// 128 random bits, hex: the public tracking token.
pub fn tracking_token() -> Result<String, AppError> {
    random_hex::<16>()
}

/// `N` characters from an alphabet without look-alikes (no 0/O, 1/I/L), for codes a person
/// reads out or types: 31⁸ ≈ 8.5 × 10¹¹ for eight.
pub fn readable_code<const N: usize>() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal("random code", e))?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect())
}

/// Hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_random_bits_and_hashes_are_sha256() {
        let t = tracking_token().unwrap();
        assert_eq!(t.len(), 32);
        assert!(t.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(t, tracking_token().unwrap());
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
