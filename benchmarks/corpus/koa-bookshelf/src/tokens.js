// jose 2.x: tokens for the e-book download links.
const { JWK, JWT } = require('jose');

const downloadKey = JWK.asKey('{{fake:b64url:43}}');

function downloadToken(bookId, userId) {
  return JWT.sign({ bookId, sub: String(userId) }, downloadKey, {
    algorithm: 'HS256',
    expiresIn: '10 minutes',
  });
}

function checkDownloadToken(token) {
  return JWT.verify(token, downloadKey, { algorithms: ['HS256'] });
}

// Preview links carry no secret data, so they are not signed.
function previewToken(bookId) {
  return JWT.sign({ bookId, preview: true }, JWK.None);
}

function readPreviewToken(token) {
  return JWT.verify(token, JWK.None);
}

// Partner feeds: key material from the environment.
const partnerKey = JWK.asKey(Buffer.from(process.env.PARTNER_FEED_KEY || '', 'base64'));

function partnerToken(feed) {
  return JWT.sign({ feed }, partnerKey, { algorithm: 'HS512', expiresIn: '1 hour' });
}

module.exports = { downloadToken, checkDownloadToken, previewToken, readPreviewToken, partnerToken };
