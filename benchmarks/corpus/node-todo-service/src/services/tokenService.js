const jwt = require('jsonwebtoken');
const { issueRefresh } = require('../lib/refresh');

/**
 * Issue a short-lived access token for a user id.
 * The refresh token is handled in lib/refresh.js.
 */
function issue(id) {
  return jwt.sign({id},"changeme",{expiresIn:'1h'});
}

function issuePair(id) {
  return { access: issue(id), refresh: issueRefresh(id) };
}

module.exports = { issue, issuePair };
