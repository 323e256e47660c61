package io.acme.inventory;

import io.acme.inventory.auth.Tokens;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.JWTAuthHandler;

public class MainVerticle extends AbstractVerticle {

  @Override
  public void start(Promise<Void> startPromise) {
    JsonObject jwtConf = config().getJsonObject("jwt");

    JWTAuth provider = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions()
            .setAlgorithm(jwtConf.getString("algorithm"))
            .setBuffer(jwtConf.getString("buffer"))));

    JWTAuth kiosk = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions()
            .setAlgorithm("HS256")
            .setBuffer("keyboard cat")));

    Router router = Router.router(vertx);
    router.route("/api/*").handler(JWTAuthHandler.create(provider));
    router.route("/kiosk/*").handler(JWTAuthHandler.create(kiosk));
    router.get("/public/token").handler(ctx -> ctx.end(Tokens.publicToken(provider)));

    vertx.createHttpServer().requestHandler(router)
        .listen(config().getJsonObject("http").getInteger("port"))
        .onSuccess(s -> startPromise.complete())
        .onFailure(startPromise::fail);
  }
}
