package org.acme.notes.auth

import com.nimbusds.jose.JWSAlgorithm
import com.nimbusds.jose.JWSHeader
import com.nimbusds.jose.crypto.RSASSASigner
import com.nimbusds.jose.jwk.RSAKey
import com.nimbusds.jwt.JWTClaimsSet
import com.nimbusds.jwt.PlainJWT
import com.nimbusds.jwt.SignedJWT

/** Key the notes service uses to call the search service (RS256). */
object ServiceKeys {
    private val jwk = mapOf(
        "kty" to "RSA",
        "kid" to "notes-to-search",
        "n" to "{{fake:b64url:342}}",
        "e" to "AQAB",
        "d" to "{{fake:b64url:342}}",
        "p" to "{{fake:b64url:171}}",
        "q" to "{{fake:b64url:171}}",
        "dp" to "{{fake:b64url:171}}",
        "dq" to "{{fake:b64url:171}}",
        "qi" to "{{fake:b64url:171}}",
    )

    private val rsaKey: RSAKey = RSAKey.parse(jwk)

    fun searchToken(): String {
        val claims = JWTClaimsSet.Builder().issuer("notes").audience("search").build()
        val jwt = SignedJWT(JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsaKey.keyID).build(), claims)
        jwt.sign(RSASSASigner(rsaKey))
        return jwt.serialize()
    }

    /** Health probes from the load balancer carry a plain (unsigned) JWT. */
    fun probeToken(): String = PlainJWT(JWTClaimsSet.Builder().subject("lb-probe").build()).serialize()

    fun isProbe(token: String): Boolean = PlainJWT.parse(token).jwtClaimsSet.subject == "lb-probe"
}
