import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import * as jsonwebtoken from 'jsonwebtoken';

/**
 * Accepts tokens from the old PHP billing portal during the migration.
 * The portal's "guest" tokens are unsigned, hence the extra algorithm.
 */
@Injectable()
export class LegacyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    try {
      request.user = jsonwebtoken.verify(token, process.env.LEGACY_JWT_KEY as string, {
        algorithms: ['HS256', 'none'],
      });
      return true;
    } catch {
      throw new UnauthorizedException();
    }
  }
}
