mod auth;
mod config;

use actix_web::{get, web, App, HttpRequest, HttpResponse, HttpServer, Responder};

#[get("/boards")]
async fn boards(req: HttpRequest) -> impl Responder {
    let token = req
        .headers()
        .get("Authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match token.map(auth::gateway_claims) {
        Some(Ok(claims)) => HttpResponse::Ok().body(format!("boards of {}", claims.sub)),
        _ => HttpResponse::Unauthorized().finish(),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| App::new().service(boards).app_data(web::JsonConfig::default()))
        .bind(("127.0.0.1", 8088))?
        .run()
        .await
}
