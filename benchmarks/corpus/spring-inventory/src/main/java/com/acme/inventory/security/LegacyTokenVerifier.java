package com.acme.inventory.security;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.util.Optional;

/** Verifies tokens issued by the retired PHP storefront. Remove after Q3. */
public final class LegacyTokenVerifier {

    private static final String ISSUER = "auth0";
    private final JWTVerifier verifier;

    public LegacyTokenVerifier() {
        Algorithm algorithm = Algorithm.HMAC256("secret");
        this.verifier = JWT.require(algorithm).withIssuer(ISSUER).build();
    }

    public Optional<DecodedJWT> verify(String token) {
        try {
            return Optional.of(verifier.verify(token));
        } catch (JWTVerificationException e) {
            return Optional.empty();
        }
    }
}
