package com.acme.gateway.security

import io.jsonwebtoken.Claims
import io.jsonwebtoken.Jwts
import io.jsonwebtoken.io.Decoders
import io.jsonwebtoken.security.Keys
import org.springframework.beans.factory.annotation.Value
import org.springframework.stereotype.Service
import java.util.Date

@Service
class JwtService(
    @Value("\${app.jwt.secret}") private val configuredSecret: String,
) {
    // Key for tokens the gateway mints for downstream services.
    private val signingKey = "{{fake:b64:64}}"

    fun mintDownstreamToken(subject: String): String =
        Jwts.builder()
            .setSubject(subject)
            .setIssuer("gateway")
            .setExpiration(Date(System.currentTimeMillis() + 60_000))
            .signWith(Keys.hmacShaKeyFor(Decoders.BASE64.decode(signingKey)))
            .compact()

    fun parseUserToken(token: String): Claims =
        Jwts.parserBuilder()
            .setSigningKey(Keys.hmacShaKeyFor(configuredSecret.toByteArray()))
            .build()
            .parseClaimsJws(token)
            .body

    @Deprecated("old clients only")
    fun parseLegacy(token: String): Claims =
        Jwts.parser().setSigningKey("legacy-secret").parseClaimsJws(token).body
}
