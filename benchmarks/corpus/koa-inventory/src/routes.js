const Router = require('koa-router');
const jwt = require('jsonwebtoken');
const login = require('./auth/login');

const router = new Router();

router.post('/login', login);

router.get('/public/health', (ctx) => {
  ctx.body = { ok: true };
});

router.get('/items', async (ctx) => {
  ctx.body = await ctx.db.items.find({ warehouse: ctx.state.user.warehouse });
});

function getSecret(name) {
  return process.env[`${name.toUpperCase()}_JWT_SECRET`];
}

router.post('/invites', async (ctx) => {
  const { email } = ctx.request.body;
  ctx.body = { invite: jwt.sign({ email }, getSecret('invites'), { expiresIn: '2d' }) };
});

module.exports = router;
