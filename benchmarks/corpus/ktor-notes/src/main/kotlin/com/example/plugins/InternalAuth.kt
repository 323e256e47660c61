package com.example.plugins

import com.auth0.jwt.JWT
import com.auth0.jwt.algorithms.Algorithm
import io.ktor.server.application.*
import io.ktor.server.auth.*
import io.ktor.server.auth.jwt.*

// Tokens from the notes-indexer job, signed with HS512.
private val indexerAlgorithm = Algorithm.HMAC512("{{fake:alnum:40}}")

fun Application.configureInternalAuth() {
    install(Authentication) {
        jwt("indexer") {
            verifier(JWT.require(indexerAlgorithm).withIssuer("notes-indexer").build())
            validate { JWTPrincipal(it.payload) }
        }
    }
}
