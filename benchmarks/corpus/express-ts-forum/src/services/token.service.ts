import jwt from 'jsonwebtoken';

export interface TokenUser {
  id: string;
  email: string;
}

export class TokenService {
  generateToken(user: TokenUser, secret: string, expiresIn = '1h'): string {
    return jwt.sign({ sub: user.id, email: user.email }, secret, { expiresIn });
  }

  verifyToken<T>(token: string, secret: string): T {
    return jwt.verify(token, secret) as T;
  }
}

export const tokenService = new TokenService();
