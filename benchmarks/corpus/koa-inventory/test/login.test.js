const assert = require('assert');
const request = require('supertest');
const app = require('../src/app');

describe('login', () => {
  it('returns 401 for a wrong password', async () => {
    const res = await request(app.callback())
      .post('/login')
      .send({ username: 'clerk', password: 'wrong' });
    assert.strictEqual(res.status, 401);
  });

  it('blocks /items without token', async () => {
    const res = await request(app.callback()).get('/items');
    assert.strictEqual(res.status, 401);
  });
});
