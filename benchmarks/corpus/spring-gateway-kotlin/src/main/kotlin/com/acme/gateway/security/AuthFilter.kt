package com.acme.gateway.security

import org.springframework.cloud.gateway.filter.GatewayFilterChain
import org.springframework.cloud.gateway.filter.GlobalFilter
import org.springframework.http.HttpHeaders
import org.springframework.http.HttpStatus
import org.springframework.stereotype.Component
import org.springframework.web.server.ServerWebExchange
import reactor.core.publisher.Mono

@Component
class AuthFilter(private val jwtService: JwtService) : GlobalFilter {

    override fun filter(exchange: ServerWebExchange, chain: GatewayFilterChain): Mono<Void> {
        val header = exchange.request.headers.getFirst(HttpHeaders.AUTHORIZATION)
            ?: return unauthorized(exchange)
        val token = header.removePrefix(BEARER_PREFIX)
        val claims = runCatching { jwtService.parseUserToken(token) }.getOrNull()
            ?: return unauthorized(exchange)
        val downstream = jwtService.mintDownstreamToken(claims.subject)
        val mutated = exchange.request.mutate().header(HttpHeaders.AUTHORIZATION, "$BEARER_PREFIX$downstream").build()
        return chain.filter(exchange.mutate().request(mutated).build())
    }

    private fun unauthorized(exchange: ServerWebExchange): Mono<Void> {
        exchange.response.statusCode = HttpStatus.UNAUTHORIZED
        return exchange.response.setComplete()
    }

    companion object {
        const val BEARER_PREFIX = "Bearer "
    }
}
