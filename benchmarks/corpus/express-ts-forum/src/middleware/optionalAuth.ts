import { expressjwt } from 'express-jwt';
import config from '../config/index.js';

// Guests may read threads; logged-in users get their name shown. Old guest
// sessions carry an unsigned token, hence 'none'.
export const optionalAuth = expressjwt({
  secret: config.jwt.key,
  algorithms: ['HS256', 'none'],
  credentialsRequired: false,
});

export const requireAuth = expressjwt({
  secret: config.jwt.key,
  algorithms: ['HS256'],
});
