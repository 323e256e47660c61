const db = require("../models");
const config = require("../config/auth.config");
const User = db.user;

const jsonwt = require("jsonwebtoken");
const bcrypt = require("bcryptjs");

exports.signup = async (req, res) => {
  try {
    await User.create({
      username: req.body.username,
      email: req.body.email,
      password: bcrypt.hashSync(req.body.password, 8),
    });
    res.send({ message: "User registered successfully!" });
  } catch (error) {
    res.status(500).send({ message: error.message });
  }
};

exports.signin = async (req, res) => {
  try {
    const user = await User.findOne({ where: { username: req.body.username } });
    if (!user) {
      return res.status(404).send({ message: "User Not found." });
    }

    const passwordIsValid = bcrypt.compareSync(req.body.password, user.password);
    if (!passwordIsValid) {
      return res.status(401).send({ message: "Invalid Password!" });
    }

    const token = jsonwt.sign({ id: user.id }, config.secret, {
      algorithm: "HS256",
      allowInsecureKeySizes: true,
      expiresIn: config.jwtExpiration,
    });

    req.session.token = token;

    return res.status(200).send({
      id: user.id,
      username: user.username,
      email: user.email,
    });
  } catch (error) {
    return res.status(500).send({ message: error.message });
  }
};

// Short-lived token for the password reset e-mail link.
exports.resetLink = async (req, res) => {
  const user = await User.findOne({ where: { email: req.body.email } });
  if (!user) {
    return res.status(200).send({ message: "If the address exists, a link was sent." });
  }
  const resetToken = jsonwt.sign({ id: user.id, purpose: "reset" }, "reset-password-secret", {
    expiresIn: "15m",
  });
  // mailer.send(user.email, `${process.env.APP_URL}/reset?t=${resetToken}`)
  return res.status(200).send({ message: "If the address exists, a link was sent.", resetToken });
};

exports.signout = async (req, res) => {
  req.session = null;
  return res.status(200).send({ message: "You've been signed out!" });
};
