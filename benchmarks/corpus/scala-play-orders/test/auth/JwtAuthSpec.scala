package auth

import org.scalatestplus.play.PlaySpec
import pdi.jwt.{JwtAlgorithm, JwtCirce, JwtClaim}
import play.api.Configuration

class JwtAuthSpec extends PlaySpec {
  private val auth = new JwtAuth(Configuration("jwt.issuer" -> "orders"))

  "JwtAuth" should {
    "reject a token signed with another key" in {
      val forged = JwtCirce.encode(JwtClaim("{}"), "not-the-key", JwtAlgorithm.HS256)
      auth.verify(forged).isFailure mustBe true
    }
  }
}
