require('dotenv').config();

const express = require('express');
const authRoutes = require('./routes/auth');
const requireAuth = require('./middleware/requireAuth');
const config = require('./config');

const app = express();
app.use(express.json());

app.get('/health', (req, res) => res.json({ status: 'ok' }));
app.use('/auth', authRoutes);

app.get('/me', requireAuth, (req, res) => {
  res.json({ id: req.user.sub, role: req.user.role });
});

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: 'Internal server error' });
});

app.listen(config.port, () => {
  console.log(`express-api listening on ${config.port}`);
});

module.exports = app;
