const Koa = require('koa');
const Keygrip = require('keygrip');
const session = require('koa-session');

// The admin console runs as a separate Koa app on its own port.
const admin = new Koa();
admin.keys = new Keygrip(
  [
    '{{fake:b64:64}}',
    'admin-console-key',
  ],
  'sha256',
);
admin.use(session({ key: 'admin.sid', signed: true }, admin));

module.exports = admin;
