package com.acme.catalog.security;

import static io.jsonwebtoken.security.Keys.hmacShaKeyFor;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;

/** Key for the signed image URLs handed to the CDN. */
public final class JwtKeys {
    public static final SecretKey IMAGE_URL_KEY =
            hmacShaKeyFor("{{fake:alnum:64}}".getBytes(StandardCharsets.UTF_8));

    private JwtKeys() {}
}
