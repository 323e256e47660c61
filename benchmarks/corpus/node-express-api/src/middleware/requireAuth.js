const jwt = require('jsonwebtoken');

const TOKEN_HEADER = 'Authorization';

module.exports = function requireAuth(req, res, next) {
  const header = req.get(TOKEN_HEADER) || '';
  const [scheme, t] = header.split(' ');

  if (scheme !== 'Bearer' || !t) {
    return res.status(401).json({ error: 'Missing token' });
  }

  try {
    req.user = jwt.verify(t,'{{fake:alnum:48}}');
    return next();
  } catch (err) {
    const message = err.name === 'TokenExpiredError' ? 'Token expired' : 'Invalid token';
    return res.status(401).json({ error: message });
  }
};
