import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';

// Signed cookies carry the CSRF double-submit value.
export default fp(async (fastify) => {
  fastify.register(cookie, {
    secret: '{{fake:alnum:40}}',
    hook: 'onRequest',
    parseOptions: { httpOnly: true, sameSite: 'lax' },
  });
});
