package controllers

import javax.inject.Inject

import auth.JwtAuth
import play.api.mvc._

class OrdersController @Inject() (cc: ControllerComponents, jwt: JwtAuth) extends AbstractController(cc) {

  def list: Action[AnyContent] = Action { request =>
    request.headers.get("Authorization").map(_.stripPrefix("Bearer ")).flatMap(t => jwt.verify(t).toOption) match {
      case Some(claim) => Ok(s"orders for ${claim.content}")
      case None        => Unauthorized
    }
  }
}
