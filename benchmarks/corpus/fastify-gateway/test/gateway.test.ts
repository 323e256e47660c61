import { test } from 'tap';
import Fastify from 'fastify';
import authPlugin from '../src/plugins/auth';

test('rejects requests without a token', async (t) => {
  const app = Fastify();
  await app.register(authPlugin);
  app.get('/private', { onRequest: [app.authenticate] }, async () => ({ ok: true }));

  const res = await app.inject({ method: 'GET', url: '/private' });
  t.equal(res.statusCode, 401);
  t.match(res.json().message, /Invalid or expired token/);
});
