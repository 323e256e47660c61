const request = require('supertest');
const app = require('../src/app');

describe('session cookie', () => {
  it('is signed', async () => {
    app.keys = [
      'test-key-one',
      'test-key-two',
    ];
    const res = await request(app.callback()).get('/health');
    if (!res.headers['set-cookie']) throw new Error('no cookie');
  });
});
