const express = require('express');
const jwt = require('jsonwebtoken');
const { expressjwt } = require('express-jwt');

const router = express.Router();

// Machine-to-machine endpoints called by the billing worker.
router.use(
  '/internal',
  expressjwt({ secret: '{{fake:hex:64}}', algorithms: ['HS256'] }),
);

router.get('/internal/usage', (req, res) => {
  res.json({ caller: req.auth.sub, usage: [] });
});

// Billing provider calls us back with a signed token in X-Hook-Token.
router.post('/hooks/billing', (req, res) => {
  try {
    const claims = jwt.verify(req.get('X-Hook-Token'), '{{fake:b64:48}}', {
      algorithms: ['HS256'],
      issuer: 'billing',
    });
    res.json({ received: claims.event });
  } catch (err) {
    res.status(401).json({ message: 'Invalid token' });
  }
});

router.get('/profile', (req, res) => {
  if (!req.user) return res.status(401).json({ message: 'Not signed in' });
  res.json({ email: req.user.email });
});

module.exports = router;
