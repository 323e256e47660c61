const express = require('express');
const session = require('express-session');
const passport = require('passport');
require('./auth/passport');

const app = express();
app.set('view engine', 'ejs');
app.use(express.urlencoded({ extended: false }));
app.use(express.json());

app.use(session({
  secret: 'keyboard cat',
  resave: false,
  saveUninitialized: true,
  cookie: { secure: false, maxAge: 60 * 60 * 1000 },
}));
app.use(passport.initialize());
app.use(passport.session());

app.use('/', require('./routes/login'));
app.use('/api', require('./routes/api'));

app.listen(process.env.PORT || 3000);
