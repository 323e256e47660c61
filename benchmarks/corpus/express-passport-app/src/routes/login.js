const express = require('express');
const passport = require('passport');
const jwt = require('jsonwebtoken');

const router = express.Router();

router.get('/login', (req, res) => res.render('login', { error: null }));

router.post('/login', (req, res, next) => {
  passport.authenticate('local', { session: false }, (err, user, info) => {
    if (err || !user) {
      return res.status(400).render('login', { error: info ? info.message : 'Login failed' });
    }
    const body = { _id: user._id, email: user.email };
    const token = jwt.sign({ user: body }, 'top_secret');
    return res.json({ token });
  })(req, res, next);
});

module.exports = router;
