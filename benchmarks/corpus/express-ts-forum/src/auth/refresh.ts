import jsonwebtoken from 'jsonwebtoken';

const { sign: signJwt, verify: verifyJwt } = jsonwebtoken;

const REFRESH_OPTIONS = { expiresIn: '30d', issuer: 'forum' } as const;

export function refreshToken(userId: string): string {
  return signJwt({ sub: userId, typ: 'refresh' }, 'forum-refresh-secret', REFRESH_OPTIONS);
}

export function readRefreshToken(token: string): string {
  const claims = verifyJwt(token, 'forum-refresh-secret', { issuer: 'forum' }) as { sub: string };
  return claims.sub;
}
