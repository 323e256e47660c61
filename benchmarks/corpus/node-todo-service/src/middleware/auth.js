const jwt = require('jsonwebtoken');

const SECRET = process.env.JWT_SECRET || 'secret';

module.exports = function authenticate(req, res, next) {
  const auth = req.headers.authorization;
  if (!auth || !auth.startsWith('Bearer ')) {
    return res.status(401).json({ message: 'No token provided' });
  }

  jwt.verify(auth.slice(7), SECRET, (err, decoded) => {
    if (err) return res.status(403).json({ message: 'Failed to authenticate token' });
    req.userId = decoded.id;
    next();
  });
};
