package org.acme.notes.auth

object AuthConfig {
    const val ISSUER = "notes"
    const val SECRET = "notes-http4k-secret"
    const val TOKEN_TTL_SECONDS = 3600L

    val refreshSecret: String = System.getenv("NOTES_REFRESH_SECRET")
        ?: error("NOTES_REFRESH_SECRET is not set")
}
