package com.acme.catalog.security;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Instant;

/** Share links for public product lists: nothing private in them, so no key. */
public final class PublicLinks {
    private PublicLinks() {}

    public static String create(long listId) {
        return JWT.create()
                .withClaim("list", listId)
                .withExpiresAt(Instant.now().plusSeconds(30L * 24 * 3600))
                .sign(Algorithm.none());
    }

    public static long read(String token) {
        DecodedJWT jwt = JWT.require(Algorithm.none()).build().verify(token);
        return jwt.getClaim("list").asLong();
    }

    /** Only the key id, to pick the partner key; the caller verifies afterwards. */
    public static String keyId(String token) {
        return JWT.decode(token).getKeyId();
    }
}
