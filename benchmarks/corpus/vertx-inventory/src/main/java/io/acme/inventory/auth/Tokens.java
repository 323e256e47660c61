package io.acme.inventory.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.text.ParseException;

public final class Tokens {
  private Tokens() {}

  /** Anonymous browse token for the public catalogue widget. */
  public static String publicToken(JWTAuth provider) {
    return provider.generateToken(new JsonObject().put("scope", "browse"), new JWTOptions().setAlgorithm("none"));
  }

  /** Tokens for the warehouse scanners (nimbus, HS384). */
  public static String scannerToken(String scannerId) throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS384),
        new JWTClaimsSet.Builder().subject(scannerId).build());
    jwt.sign(new MACSigner("{{fake:alnum:64}}"));
    return jwt.serialize();
  }

  public static boolean isScannerToken(String token) throws ParseException, JOSEException {
    SignedJWT jwt = SignedJWT.parse(token);
    return jwt.verify(new MACVerifier(System.getenv("SCANNER_JWT_SECRET")));
  }
}
