package com.acme.orders.security;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.SignatureAlgorithm;
import java.util.Date;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

@Component
public class JwtUtil {

    @Value("${jwt.secret}")
    private String secret;

    @Value("${jwt.expiration}")
    private long expirationMs;

    public String generateToken(String username) {
        Date now = new Date();
        return Jwts.builder()
                .setSubject(username)
                .setIssuedAt(now)
                .setExpiration(new Date(now.getTime() + expirationMs))
                .signWith(SignatureAlgorithm.HS512, secret)
                .compact();
    }

    /** Tokens for the old mobile app, which still validates with the original key. */
    public String generateLegacyToken(String username) {
        return Jwts.builder()
                .setSubject(username)
                .claim("legacy", true)
                .signWith(SignatureAlgorithm.HS256, "secretkey")
                .compact();
    }

    /** Used by the ops CLI, which runs without a Spring context. */
    public static String secretFromEnvironment() {
        return System.getenv("JWT_SECRET");
    }

    public Claims parse(String token) {
        return Jwts.parser().setSigningKey(secret).parseClaimsJws(token).getBody();
    }

    public boolean isExpired(String token) {
        return parse(token).getExpiration().before(new Date());
    }
}
