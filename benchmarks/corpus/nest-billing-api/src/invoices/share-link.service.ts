import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as JWT from 'jsonwebtoken';

@Injectable()
export class ShareLinkService {
  constructor(private readonly config: ConfigService) {}

  createLink(invoiceId: string): string {
    const token = JWT.sign({ invoiceId, scope: 'invoice:read' }, 'invoice-share-key', {
      expiresIn: '7d',
    });
    return `https://billing.example.com/share/${token}`;
  }

  /** New links are checked against the rotated key from the environment. */
  readLink(token: string): string {
    const claims = JWT.verify(token, this.config.getOrThrow<string>('shareKey')) as JWT.JwtPayload;
    return claims.invoiceId as string;
  }
}
