package com.acme.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DefaultJwtServiceTest {
    private final JwtService service = new DefaultJwtService("unit-test-secret-unit-test-secret", 60);

    @Test
    void roundTrip() {
        String token = service.generateToken("alice");
        assertThat(service.extractUsername(token)).isEqualTo("alice");
    }
}
