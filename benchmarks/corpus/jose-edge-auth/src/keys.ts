import { createSecretKey } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';

// Access tokens: HS256, 15 minutes.
export const accessKey = createSecretKey(Buffer.from('{{fake:b64url:43}}'));

// Refresh tokens: HS512, 30 days.
const REFRESH_ALG = 'HS512';
export const refreshKey = new TextEncoder().encode('{{fake:alnum:48}}');

export async function signAccess(claims: JWTPayload): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('15m')
    .sign(accessKey);
}

export async function signRefresh(sub: string): Promise<string> {
  return new SignJWT({ typ: 'refresh' })
    .setProtectedHeader({ alg: REFRESH_ALG })
    .setSubject(sub)
    .setExpirationTime('30d')
    .sign(refreshKey);
}

export async function verifyRefresh(token: string) {
  const { payload } = await jwtVerify(token, refreshKey, { algorithms: [REFRESH_ALG] });
  return payload;
}
