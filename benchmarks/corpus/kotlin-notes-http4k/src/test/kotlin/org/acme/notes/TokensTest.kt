package org.acme.notes

import com.auth0.jwt.algorithms.Algorithm
import org.acme.notes.auth.Tokens
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull

class TokensTest {
    private val tokens = Tokens(Algorithm.HMAC256("kotlin-test-secret"))

    @Test
    fun `round trip`() {
        assertEquals("u1", tokens.verify(tokens.issue("u1")))
    }

    @Test
    fun `embed tokens are not accepted as user tokens`() {
        assertNull(tokens.verify(Tokens.embedToken("n1")))
    }
}
