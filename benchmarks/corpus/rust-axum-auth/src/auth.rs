use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

pub struct Keys {
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
}

impl Keys {
    fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

pub static KEYS: Lazy<Keys> = Lazy::new(|| {
    let secret = std::env::var("JWT_SECRET").expect("JWT_SECRET must be set");
    Keys::new(secret.as_bytes())
});

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub company: String,
    pub exp: usize,
}

/// Token presented to the metrics sidecar; it never leaves the pod.
pub fn sidecar_token(exp: usize) -> String {
    let claims = Claims {
        sub: "axum-auth".into(),
        company: "internal".into(),
        exp,
    };
    let key = EncodingKey::from_secret(b"{{fake:alnum:48}}");
    encode(&Header::default(), &claims, &key).expect("sign sidecar token")
}

/// Demo tokens from the docs playground.
pub fn decode_playground(token: &str) -> Option<Claims> {
    let validation = Validation::new(Algorithm::HS256);
    decode::<Claims>(
        token,
        &DecodingKey::from_secret("secret".as_ref()),
        &validation,
    )
    .map(|data| data.claims)
    .ok()
}
