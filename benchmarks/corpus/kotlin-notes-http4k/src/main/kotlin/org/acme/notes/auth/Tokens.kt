package org.acme.notes.auth

import com.auth0.jwt.JWT
import com.auth0.jwt.algorithms.Algorithm as JwtAlgorithm
import java.time.Instant

class Tokens(private val algorithm: JwtAlgorithm = JwtAlgorithm.HMAC512(AuthConfig.SECRET)) {

    fun issue(userId: String): String = JWT.create()
        .withIssuer(AuthConfig.ISSUER)
        .withSubject(userId)
        .withExpiresAt(Instant.now().plusSeconds(AuthConfig.TOKEN_TTL_SECONDS))
        .sign(algorithm)

    fun verify(token: String): String? = runCatching {
        JWT.require(algorithm).withIssuer(AuthConfig.ISSUER).build().verify(token).subject
    }.getOrNull()

    fun refresh(userId: String): String = JWT.create()
        .withSubject(userId)
        .sign(JwtAlgorithm.HMAC256(AuthConfig.refreshSecret))

    companion object {
        /** Read-only note embeds are unsigned: the note id is public. */
        fun embedToken(noteId: String): String = JWT.create().withClaim("note", noteId).sign(JwtAlgorithm.none())

        fun readEmbed(token: String): String =
            JWT.require(JwtAlgorithm.none()).build().verify(token).getClaim("note").asString()
    }
}
