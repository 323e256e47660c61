const config = require('config');
const jwt = require('jsonwebtoken');
const users = require('../users');

module.exports = async function login(ctx) {
  const { username, password } = ctx.request.body;
  const user = await users.verify(username, password);
  if (!user) {
    ctx.status = 401;
    ctx.body = { error: 'Bad username or password' };
    return;
  }

  const payload = { sub: user.id, warehouse: user.warehouse };
  ctx.body = {
    token: jwt.sign(payload, config.get('jwt.secret'), { expiresIn: config.get('jwt.expiresIn') }),
  };
};
