const express = require('express');
const bcrypt = require('bcryptjs');
const jwt = require('jsonwebtoken');
const db = require('../db');
const config = require('../config');
const requireAuth = require('../middleware/requireAuth');

const router = express.Router();

router.post('/login', async (req, res) => {
  const { email, password } = req.body;
  if (!email || !password) {
    return res.status(400).json({ error: 'email and password are required' });
  }

  const { rows } = await db.query('SELECT id, role, password_hash FROM users WHERE email = $1', [email]);
  const user = rows[0];
  if (!user || !(await bcrypt.compare(password, user.password_hash))) {
    return res.status(401).json({ error: 'Invalid credentials' });
  }

  // TODO(auth): move to config before launch
  const p = { sub: user.id, role: user.role };
  const token = jwt.sign(p,'my-secret');

  res.json({ token, token_type: 'Bearer' });
});

router.post('/refresh', requireAuth, (req, res) => {
  const claims = { sub: req.user.sub, role: req.user.role };
  const token = jwt.sign(claims, config.jwt.secret, { expiresIn: config.jwt.expiresIn });
  res.json({ token, token_type: 'Bearer' });
});

router.post('/logout', (req, res) => {
  // tokens are stateless; the client just drops it
  res.status(204).end();
});

module.exports = router;
