mod auth;

use axum::{routing::get, Router};

#[derive(serde::Deserialize)]
struct Settings {
    jwt: JwtSettings,
}

#[derive(serde::Deserialize)]
struct JwtSettings {
    expires_in: String,
}

#[tokio::main]
async fn main() {
    let settings: Settings = config::Config::builder()
        .add_source(config::File::with_name("config/default"))
        .add_source(config::Environment::with_prefix("APP").separator("__"))
        .build()
        .and_then(|c| c.try_deserialize())
        .expect("configuration");
    println!("token lifetime: {}", settings.jwt.expires_in);

    let app = Router::new().route("/health", get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
