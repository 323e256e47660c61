package com.acme.catalog.security;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import javax.crypto.SecretKey;

/** Tokens from the old catalog (0.9 era) and from the import robot. */
public final class LegacyTokens {
    private final SecretKey key;

    public LegacyTokens(SecretKey key) {
        this.key = key;
    }

    public Claims robotClaims(String token) {
        // the import robot never learned to sign its tokens
        return Jwts.parser()
                .unsecured()
                .build()
                .parseUnsecuredClaims(token)
                .getPayload();
    }

    public Claims verified(String token) {
        return Jwts.parser().verifyWith(key).build().parseSignedClaims(token).getPayload();
    }

    public String robotToken(String robotId) {
        return Jwts.builder().subject(robotId).claim("role", "import").compact();
    }
}
