import type { Request, Response } from 'express';
import { tokenService } from '../services/token.service.js';
import { findUserByEmail } from '../services/users.js';

export async function sendMagicLink(req: Request, res: Response) {
  const user = await findUserByEmail(req.body.email);
  if (user) {
    const token = tokenService.generateToken(user, 'forum-magic-link-secret', '15m');
    // await mailer.sendMail({ to: user.email, text: `https://forum.example.com/magic/${token}` });
    req.log?.info({ user: user.id }, 'magic link sent');
    void token;
  }
  res.status(202).json({ ok: true });
}

export async function consumeMagicLink(req: Request, res: Response) {
  try {
    const claims = tokenService.verifyToken<{ sub: string }>(req.params.token, process.env.MAGIC_LINK_SECRET!);
    res.json({ user: claims.sub });
  } catch {
    res.status(401).json({ error: 'invalid link' });
  }
}
