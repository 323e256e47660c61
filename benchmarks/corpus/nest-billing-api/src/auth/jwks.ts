import jwt, { JwtHeader } from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';

const client = jwksClient({ jwksUri: 'https://login.example.com/.well-known/jwks.json' });

// The header is read only to choose the key; the token is then verified with it.
export async function verifyPartnerToken(token: string): Promise<jwt.JwtPayload> {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded) {
    throw new Error('malformed token');
  }
  const header = decoded.header as JwtHeader;
  const key = await client.getSigningKey(header.kid);
  return jwt.verify(token, key.getPublicKey(), { algorithms: ['RS256'] }) as jwt.JwtPayload;
}
