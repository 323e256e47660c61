package com.acme.catalog.security;

import static com.auth0.jwt.algorithms.Algorithm.HMAC256;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.exceptions.JWTVerificationException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/** Feed partners call /partner/** with a token we issued to them by e-mail. */
public class PartnerTokenFilter extends OncePerRequestFilter {
    private final JWTVerifier verifier = JWT.require(HMAC256("partner-feed-secret")).withIssuer("catalog").build();

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        String header = req.getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            res.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        try {
            req.setAttribute("partner", verifier.verify(header.substring(7)).getSubject());
        } catch (JWTVerificationException e) {
            res.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        chain.doFilter(req, res);
    }
}
