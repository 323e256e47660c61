package com.acme.inventory.security;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Instant;
import java.util.Date;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

@Service
public class TokenProvider {

    /** Key shared with the warehouse-sync service for service-to-service calls. */
    private static final Key INTERNAL_KEY =
            Keys.hmacShaKeyFor("{{fake:alnum:64}}".getBytes(StandardCharsets.UTF_8));

    @Value("${jwt.secret:change-me-please}")
    private String jwtSecret;

    @Value("${jwt.expiration}")
    private long expirationSeconds;

    public String createUserToken(String username) {
        Key key = Keys.hmacShaKeyFor(jwtSecret.getBytes(StandardCharsets.UTF_8));
        Instant now = Instant.now();
        return Jwts.builder()
                .setSubject(username)
                .setIssuedAt(Date.from(now))
                .setExpiration(Date.from(now.plusSeconds(expirationSeconds)))
                .signWith(key)
                .compact();
    }

    public Claims parseInternal(String token) {
        return Jwts.parserBuilder().setSigningKey(INTERNAL_KEY).build().parseClaimsJws(token).getBody();
    }
}
