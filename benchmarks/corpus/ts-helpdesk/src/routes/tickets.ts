import { Router } from 'express';
import { decodeJwt } from 'jose';
import { verifyAny, readSurveyToken } from '../auth/tokens.js';

export const tickets = Router();

tickets.use(async (req, res, next) => {
  const token = req.get('authorization')?.replace(/^Bearer /, '');
  if (!token) return res.sendStatus(401);
  try {
    await verifyAny(token);
    // verified above; decodeJwt just gives us the typed claims
    res.locals.claims = decodeJwt(token);
    next();
  } catch {
    res.sendStatus(401);
  }
});

tickets.post('/survey/:token', (req, res) => {
  const { ticketId } = readSurveyToken(req.params.token);
  res.json({ ticketId, score: req.body.score });
});
