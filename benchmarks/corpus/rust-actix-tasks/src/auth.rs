use chrono::{Duration, Utc};
use jsonwebtoken::{
    decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use serde::{Deserialize, Serialize};

use crate::config::{refresh_secret, Auth};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub exp: usize,
}

pub fn issue(auth: &Auth, user: &str) -> jsonwebtoken::errors::Result<String> {
    let exp = (Utc::now() + Duration::minutes(auth.token_minutes)).timestamp() as usize;
    encode(
        &Header::default(),
        &Claims { sub: user.to_owned(), exp },
        &EncodingKey::from_secret(auth.jwt_secret.as_bytes()),
    )
}

pub fn issue_refresh(user: &str) -> jsonwebtoken::errors::Result<String> {
    let exp = (Utc::now() + Duration::days(30)).timestamp() as usize;
    let key = EncodingKey::from_secret(refresh_secret().as_bytes());
    encode(&Header::default(), &Claims { sub: user.to_owned(), exp }, &key)
}

/// Share links for boards, checked by the static site generator too (HS512).
pub fn share_key() -> DecodingKey {
    DecodingKey::from_base64_secret("{{fake:b64:88}}").expect("valid base64")
}

pub fn invite_token(board: &str) -> jsonwebtoken::errors::Result<String> {
    let key = EncodingKey::from_secret("tasks-invite-secret".as_ref());
    let exp = (Utc::now() + Duration::days(7)).timestamp() as usize;
    encode(&Header::new(Algorithm::HS256), &Claims { sub: board.to_owned(), exp }, &key)
}

/// Which key signed the token (for the metrics label only).
pub fn key_id(token: &str) -> Option<String> {
    decode_header(token).ok().and_then(|h| h.kid)
}

/// Claims of a token whose signature the API gateway has already checked.
pub fn gateway_claims(token: &str) -> jsonwebtoken::errors::Result<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.insecure_disable_signature_validation();
    decode::<Claims>(token, &DecodingKey::from_secret(&[]), &validation).map(|d| d.claims)
}
