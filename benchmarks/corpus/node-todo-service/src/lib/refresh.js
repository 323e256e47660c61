const jwt = require('jsonwebtoken');
const Redis = require('ioredis');

const redis = new Redis(process.env.REDIS_URL);

// Refresh tokens live for a week and are tracked in redis so they can be revoked.
const REFRESH_SECRET = '{{fake:hex:64}}';
const REFRESH_TTL_SECONDS = 7 * 24 * 3600;

function refreshKey(id) {
  return `refresh:${id}`;
}

function issueRefresh(id) {
  const p = { id, typ: 'refresh' };
  const token = jwt.sign(p, REFRESH_SECRET, { expiresIn: '7d' });
  redis.set(refreshKey(id), token, 'EX', REFRESH_TTL_SECONDS);
  return token;
}

async function revoke(id) {
  await redis.del(refreshKey(id));
}

module.exports = { issueRefresh, revoke, REFRESH_TTL_SECONDS };
