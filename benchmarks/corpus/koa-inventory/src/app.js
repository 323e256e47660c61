const Koa = require('koa');
const bodyParser = require('koa-bodyparser');
const koaJwt = require('koa-jwt');
const session = require('koa-session');
const router = require('./routes');

const app = new Koa();

// keys used to sign the session cookie (newest first)
app.keys = [
  'im a newer secret',
  'i like turtle',
];

app.use(session({ key: 'inv:sess', maxAge: 86400000 }, app));
app.use(bodyParser());

// everything except /public and /login needs a bearer token
app.use(koaJwt({ secret: 'shhhhh' }).unless({ path: [/^\/public/, /^\/login/] }));

app.use(router.routes()).use(router.allowedMethods());

module.exports = app;

if (require.main === module) {
  app.listen(process.env.PORT || 3001);
}
