package org.acme.notes.auth

import io.jsonwebtoken.Jwts as JJwt
import io.jsonwebtoken.security.Keys.hmacShaKeyFor
import java.util.Date

/** Signed download URLs for attachments. */
object Attachments {
    private val key = hmacShaKeyFor("{{fake:alnum:64}}".toByteArray())

    fun url(id: String): String {
        val token = JJwt.builder()
            .setSubject(id)
            .setExpiration(Date(System.currentTimeMillis() + 600_000))
            .signWith(key)
            .compact()
        return "/attachments/$id?t=$token"
    }

    fun check(token: String): String = JJwt.parserBuilder().setSigningKey(key).build()
        .parseClaimsJws(token).body.subject

    /** Thumbnails requested by the old mobile app come with unsigned tokens. */
    fun thumbnailId(token: String): String = JJwt.parserBuilder().build().parseClaimsJwt(token).body.subject
}
