use serde::Deserialize;

#[derive(Debug, Deserialize, Clone)]
pub struct Auth {
    pub jwt_secret: String,
    pub token_minutes: i64,
}

pub fn refresh_secret() -> String {
    std::env::var("REFRESH_SECRET").unwrap_or_else(|_| "tasks-refresh-dev".to_string())
}

pub fn webhook_secret() -> String {
    std::env::var("WEBHOOK_SECRET").expect("WEBHOOK_SECRET must be set")
}
