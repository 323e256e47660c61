package com.acme.catalog.config;

import com.acme.catalog.security.DefaultJwtService;
import com.acme.catalog.security.JwtService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

@Configuration
public class SecurityConfig {

    @Bean
    @Profile("!prod")
    public JwtService devJwtService() {
        return new DefaultJwtService("catalog-jwt-secret-key-for-local-dev", 3600);
    }

    @Bean
    @Profile("prod")
    public JwtService jwtService(@Value("${catalog.jwt.secret}") String secret) {
        return new DefaultJwtService(secret, 900);
    }

    @Bean
    public JwtService refreshTokenService(
            @Value("${catalog.jwt.refresh-secret:refresh-default-secret}") String refreshSecret) {
        return new DefaultJwtService(refreshSecret, 7 * 24 * 3600);
    }
}
