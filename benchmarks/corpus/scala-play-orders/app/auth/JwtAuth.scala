package auth

import java.time.Clock
import javax.inject.{Inject, Singleton}

import io.circe.syntax._
import pdi.jwt.{JwtAlgorithm, JwtCirce, JwtClaim, JwtOptions}
import play.api.Configuration

import scala.util.Try

@Singleton
class JwtAuth @Inject() (config: Configuration) {
  implicit val clock: Clock = Clock.systemUTC

  private val key = "scala-play-secret"
  private val algo = JwtAlgorithm.HS256
  private val issuer = config.get[String]("jwt.issuer")

  def issue(userId: Long): String = {
    val claim = JwtClaim(content = Map("uid" -> userId).asJson.noSpaces, issuer = Some(issuer))
      .issuedNow
      .expiresIn(15 * 60)
    JwtCirce.encode(claim, key, algo)
  }

  def verify(token: String): Try[JwtClaim] = JwtCirce.decode(token, key, Seq(algo))

  /** The audit log stores who called, even for expired or foreign tokens. */
  def auditSubject(token: String): Option[String] =
    JwtCirce.decode(token, JwtOptions(signature = false, expiration = false)).toOption.flatMap(_.subject)
}
