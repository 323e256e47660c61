import Fastify from 'fastify';
import authPlugin from './plugins/auth';
import cookiePlugin from './plugins/cookie';
import { proxyRoutes } from './routes/proxy';
import { config } from './config';

const app = Fastify({ logger: true });

app.register(cookiePlugin);
app.register(authPlugin);
app.register(proxyRoutes);

app.post('/login', async (request, reply) => {
  const { username } = request.body as { username: string };
  const token = app.jwt.sign({ sub: username });
  return reply.send({ token });
});

app.listen({ port: config.port, host: '0.0.0.0' });
