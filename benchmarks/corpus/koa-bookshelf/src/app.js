const Koa = require('koa');
const Keygrip = require('keygrip');
const bodyParser = require('koa-bodyparser');
const session = require('koa-session');
const koaJwt = require('koa-jwt');
const config = require('../config');
const router = require('./routes');

const app = new Koa();

if (process.env.NODE_ENV === 'production') {
  app.keys = [process.env.SESSION_KEY_CURRENT, process.env.SESSION_KEY_PREVIOUS];
} else {
  app.keys = [
    'keyboard cat',
    '{{fake:alnum:40}}',
    'bookshelf-session-2022',
  ];
}

app.use(session({ key: 'bookshelf.sid', maxAge: config.sessionMaxAge }, app));
app.use(bodyParser());
app.use(koaJwt({ secret: config.key, passthrough: true }));
app.use(router.routes());

module.exports = app;
