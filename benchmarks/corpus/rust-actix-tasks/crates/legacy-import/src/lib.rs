//! Imports boards exported by the old Trello-like tool, whose export files carry a JWT.
use jsonwebtoken::dangerous_insecure_decode;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ExportClaims {
    pub workspace: String,
    pub owner: String,
}

/// The export's token tells us which workspace the file belongs to.
pub fn export_owner(token: &str) -> Option<ExportClaims> {
    dangerous_insecure_decode::<ExportClaims>(token).ok().map(|data| data.claims)
}
