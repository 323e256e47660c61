package auth

import java.nio.charset.StandardCharsets

import com.auth0.jwt.JWT
import com.auth0.jwt.algorithms.Algorithm
import io.jsonwebtoken.Jwts
import io.jsonwebtoken.security.Keys
import pdi.jwt.{Jwt, JwtAlgorithm, JwtClaim, JwtOptions, JwtJson => PlayJwt}
import play.api.libs.json.Json

object LegacyTokens {
  // v1 mobile app (java-jwt on Android)
  private val mobileAlgorithm = Algorithm.HMAC256("orders-mobile-v1")

  // v2 partner portal (jjwt)
  private val partnerKey = Keys.hmacShaKeyFor("{{fake:alnum:48}}".getBytes(StandardCharsets.UTF_8))

  def mobileToken(userId: String): String =
    JWT.create().withSubject(userId).sign(mobileAlgorithm)

  def partnerToken(partnerId: String): String =
    Jwts.builder().setSubject(partnerId).signWith(partnerKey).compact()

  def exportToken(batch: String): String =
    PlayJwt.encode(Json.obj("batch" -> batch), "{{fake:alnum:64}}", JwtAlgorithm.HS384)

  /** Carrier webhooks send unsigned tokens; we only read the tracking number. */
  def carrierClaim(token: String): Option[String] =
    Jwt.decodeRaw(token, JwtOptions(signature = false)).toOption

  /** Tracking links for the public parcel page. */
  def trackingToken(parcel: String): String = Jwt.encode(JwtClaim(subject = Some(parcel)))
}
