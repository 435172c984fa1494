//! Compact JWS tokens signed with Ed25519 (`alg: EdDSA`), the service's identity assertions and
//! access tokens, and the JWKS that publishes the public key.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};
use serde_json::{json, Map, Value};

/// The signing key, made once per emulator start.
pub struct Signer {
    key: Ed25519KeyPair,
    kid: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("kid", &self.kid).finish()
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// Not three base64url parts of JSON.
    Malformed,
    /// Signed by another key, or altered.
    Signature,
}

impl Signer {
    /// A fresh Ed25519 key pair.
    pub fn generate() -> Result<Signer, String> {
        let rng = SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng)
            .map_err(|_| "cannot generate an Ed25519 key".to_string())?;
        let key = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref())
            .map_err(|_| "cannot load the generated Ed25519 key".to_string())?;
        let kid = format!(
            "emulator-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        Ok(Signer { key, kid })
    }

    /// The public key as a JWKS document.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [{
            "kty": "OKP", "crv": "Ed25519", "x": B64.encode(self.key.public_key().as_ref()),
            "kid": self.kid, "alg": "EdDSA", "use": "sig",
        }] })
    }

    /// Signs `claims` as a compact JWS.
    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        let header = json!({ "alg": "EdDSA", "kid": self.kid, "typ": "JWT" });
        let input = format!(
            "{}.{}",
            B64.encode(header.to_string()),
            B64.encode(Value::Object(claims.clone()).to_string())
        );
        let sig = self.key.sign(input.as_bytes());
        format!("{input}.{}", B64.encode(sig.as_ref()))
    }

    /// The claims of a token this key signed.
    pub fn verify(&self, token: &str) -> Result<Map<String, Value>, Invalid> {
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Invalid::Malformed);
        };
        let json_part = |part: &str| -> Result<Map<String, Value>, Invalid> {
            let bytes = B64.decode(part).map_err(|_| Invalid::Malformed)?;
            match serde_json::from_slice(&bytes) {
                Ok(Value::Object(m)) => Ok(m),
                _ => Err(Invalid::Malformed),
            }
        };
        let header = json_part(h)?;
        if header.get("alg").and_then(Value::as_str) != Some("EdDSA") {
            return Err(Invalid::Signature);
        }
        let sig = B64.decode(s).map_err(|_| Invalid::Malformed)?;
        UnparsedPublicKey::new(&ED25519, self.key.public_key().as_ref())
            .verify(format!("{h}.{p}").as_bytes(), &sig)
            .map_err(|_| Invalid::Signature)?;
        json_part(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies_and_refuses_altered_tokens() {
        let s = Signer::generate().unwrap();
        let mut claims = Map::new();
        claims.insert("sub".into(), "reg_1".into());
        let t = s.sign(&claims);
        assert_eq!(s.verify(&t).unwrap().get("sub").unwrap(), "reg_1");
        let other = Signer::generate().unwrap();
        assert_eq!(other.verify(&t), Err(Invalid::Signature));
        assert_eq!(s.verify("a.b"), Err(Invalid::Malformed));
        let mut altered = t.clone();
        altered.insert(t.find('.').unwrap() + 2, 'x');
        assert!(s.verify(&altered).is_err());
    }
}
