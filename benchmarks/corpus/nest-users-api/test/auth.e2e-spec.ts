import { randomBytes } from 'crypto';
import { Test } from '@nestjs/testing';
import { JwtService } from '@nestjs/jwt';
import { AuthService } from '../src/auth/auth.service';
import { UsersService } from '../src/users/users.service';

describe('AuthService', () => {
  let service: AuthService;

  beforeEach(async () => {
    const jwtService = new JwtService({ secret: randomBytes(32).toString('hex') });
    const moduleRef = await Test.createTestingModule({
      providers: [
        AuthService,
        { provide: JwtService, useValue: jwtService },
        { provide: UsersService, useValue: { findOne: jest.fn() } },
      ],
    }).compile();
    service = moduleRef.get(AuthService);
  });

  it('throws on unknown user', async () => {
    await expect(service.signIn('nobody', 'pw')).rejects.toThrow('Invalid credentials');
  });
});
