const express = require('express');
const mongoose = require('mongoose');
const authenticate = require('./middleware/auth');
const todos = require('./routes/todos');
const { issue } = require('./services/tokenService');

const app = express();
app.use(express.json());

app.post('/token', async (req, res) => {
  const { id } = req.body;
  if (!id) return res.status(400).json({ message: 'id is required' });
  res.json({ access_token: issue(id), token_type: 'Bearer' });
});

app.use('/todos', authenticate, todos);

mongoose.connect(process.env.MONGO_URL || 'mongodb://localhost:27017/todos').then(() => {
  app.listen(process.env.PORT || 4000);
});
