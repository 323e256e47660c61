package com.acme.orders.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.util.ReflectionTestUtils;

class JwtUtilTest {

    private JwtUtil jwtUtil;

    @BeforeEach
    void setUp() {
        jwtUtil = new JwtUtil();
        ReflectionTestUtils.setField(jwtUtil, "secret", "test-secret-key-for-unit-tests-only");
        ReflectionTestUtils.setField(jwtUtil, "expirationMs", 60_000L);
    }

    @Test
    void subjectRoundTrips() {
        String token = jwtUtil.generateToken("alice");
        assertEquals("alice", jwtUtil.parse(token).getSubject());
    }
}
