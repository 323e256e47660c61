package org.acme.notes.web

import org.acme.notes.auth.Tokens
import org.http4k.core.Method.GET
import org.http4k.core.Response
import org.http4k.core.Status.Companion.OK
import org.http4k.core.Status.Companion.UNAUTHORIZED
import org.http4k.routing.bind
import org.http4k.routing.routes

fun notesRoutes(tokens: Tokens) = routes(
    "/notes" bind GET to { req ->
        val user = req.header("Authorization")?.removePrefix("Bearer ")?.let(tokens::verify)
        if (user == null) Response(UNAUTHORIZED) else Response(OK).body("notes of $user")
    },
)
