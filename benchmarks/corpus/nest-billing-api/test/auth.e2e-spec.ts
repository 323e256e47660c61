import { Test } from '@nestjs/testing';
import { JwtService } from '@nestjs/jwt';
import * as request from 'supertest';
import { AppModule } from '../src/app.module';

describe('Invoices (e2e)', () => {
  let app;
  const jwt = new JwtService({ secret: 'test-secret' });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  it('rejects a token signed with another key', () => {
    const token = jwt.sign({ sub: 1, username: 'john' });
    return request(app.getHttpServer())
      .get('/invoices')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
  });

  afterAll(() => app.close());
});
