const crypto = require('crypto');
const request = require('supertest');

process.env.JWT_SECRET = crypto.randomBytes(64).toString('hex');

const app = require('../src/app');

describe('POST /auth/login', () => {
  it('rejects a missing password', async () => {
    const res = await request(app).post('/auth/login').send({ email: 'a@example.com' });
    expect(res.status).toBe(400);
  });

  it('rejects a bad token on /me', async () => {
    const res = await request(app).get('/me').set('Authorization', 'Bearer not-a-token');
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('Invalid token');
  });
});
