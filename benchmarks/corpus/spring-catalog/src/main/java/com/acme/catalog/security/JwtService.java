package com.acme.catalog.security;

public interface JwtService {
    String generateToken(String username);

    String extractUsername(String token);
}
