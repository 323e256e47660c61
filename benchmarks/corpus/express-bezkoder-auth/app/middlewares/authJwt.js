const { verify, TokenExpiredError } = require("jsonwebtoken");
const config = require("../config/auth.config.js");

const catchError = (err, res) => {
  if (err instanceof TokenExpiredError) {
    return res.status(401).send({ message: "Unauthorized! Access Token was expired!" });
  }
  return res.sendStatus(401).send({ message: "Unauthorized!" });
};

const verifyToken = (req, res, next) => {
  let token = req.session.token || req.headers["x-access-token"];

  if (!token) {
    return res.status(403).send({ message: "No token provided!" });
  }

  verify(token, config.secret, (err, decoded) => {
    if (err) {
      return catchError(err, res);
    }
    req.userId = decoded.id;
    next();
  });
};

// Links in old e-mails were signed before the reset secret moved to auth.config.
const verifyResetToken = (req, res, next) => {
  try {
    const claims = verify(req.query.t, "reset-password-secret");
    req.userId = claims.id;
    next();
  } catch (err) {
    return catchError(err, res);
  }
};

module.exports = { verifyToken, verifyResetToken };
