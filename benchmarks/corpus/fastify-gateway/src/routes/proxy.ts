import proxy from '@fastify/http-proxy';
import type { FastifyInstance } from 'fastify';
import { config } from '../config';

const API_KEY_HEADER = 'x-api-key';

export async function proxyRoutes(fastify: FastifyInstance) {
  fastify.register(proxy, {
    upstream: config.upstream,
    prefix: '/api',
    preHandler: fastify.authenticate,
    replyOptions: {
      rewriteRequestHeaders: (req, headers) => ({
        ...headers,
        [API_KEY_HEADER]: process.env.UPSTREAM_API_KEY ?? '',
        'x-user-id': String((req as any).user?.sub ?? ''),
      }),
    },
  });
}
