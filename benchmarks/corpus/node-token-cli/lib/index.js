const JWT = require('jsonwebtoken');

const STAGING_KEY = Buffer.from('{{fake:hex:96}}', 'hex');

function mint(claims, { secret, unsigned = false, expiresIn = '1h' } = {}) {
  if (unsigned) {
    return JWT.sign(claims, '', { algorithm: 'none', expiresIn });
  }
  return JWT.sign(claims, secret, { algorithm: 'HS256', expiresIn });
}

function mintStaging(claims) {
  return JWT.sign(claims, STAGING_KEY, { algorithm: 'HS384', expiresIn: '10m' });
}

// Developer tool: show what is inside, signature not checked (documented in --help).
function inspect(token) {
  return JWT.decode(token, { complete: true });
}

module.exports = { mint, mintStaging, inspect };
