const express = require('express');
const Todo = require('../models/todo');

const router = express.Router();
const CACHE_KEY_PREFIX = 'todos:user:';

router.get('/', async (req, res) => {
  const items = await Todo.find({ owner: req.userId }).sort({ createdAt: -1 });
  res.json(items);
});

router.post('/', async (req, res) => {
  const todo = await Todo.create({ owner: req.userId, title: req.body.title });
  res.status(201).json(todo);
});

router.delete('/:id', async (req, res) => {
  await Todo.deleteOne({ _id: req.params.id, owner: req.userId });
  res.status(204).end();
});

module.exports = router;
module.exports.CACHE_KEY_PREFIX = CACHE_KEY_PREFIX;
