import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import config from '../config/index.js';
import { findUserById } from '../services/users.js';

passport.use(
  new JwtStrategy(
    {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwt.key,
      issuer: config.jwt.issuer,
    },
    async (payload, done) => {
      const user = await findUserById(payload.sub);
      return done(null, user ?? false);
    },
  ),
);

export default passport;
