const crypto = require("crypto");
const webhook = require("../config/webhook.config");

const b64url = (buf) =>
  Buffer.from(buf).toString("base64").replace(/=/g, "").replace(/\+/g, "-").replace(/\//g, "_");

// Hand-rolled HS256 token for the partner callback (the partner library only needs the JWS).
function signPartnerToken(payload) {
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify({ ...payload, iat: Math.floor(Date.now() / 1000) }));
  const signature = crypto
    .createHmac("sha256", webhook.signing)
    .update(`${header}.${body}`)
    .digest("base64url");
  return `${header}.${body}.${signature}`;
}

// Internal admin links: same format, separate key.
function signAdminLink(payload) {
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const sig = crypto.createHmac("sha256", "admin-links-2023").update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${sig}`;
}

// Content hash for the ETag header; not a key.
function etag(text) {
  return crypto.createHash("sha256").update(text).digest("hex");
}

module.exports = { signPartnerToken, signAdminLink, etag };
