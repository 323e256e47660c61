const { verifyToken } = require("../middlewares/authJwt");
const { decode } = require("jsonwebtoken");

module.exports = function (app) {
  app.get("/api/test/all", (req, res) => res.status(200).send("Public Content."));

  app.get("/api/test/user", [verifyToken], (req, res) => res.status(200).send("User Content."));

  // Quick "who am I" for the SPA header bar.
  app.get("/api/test/whoami", (req, res) => {
    const claims = decode(req.headers["x-access-token"]);
    if (!claims) {
      return res.status(401).send({ message: "No token provided!" });
    }
    return res.status(200).send({ id: claims.id, admin: claims.admin === true });
  });
};
