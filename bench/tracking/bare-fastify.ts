import Fastify from 'fastify';

/**
 * The ceiling: a bare Fastify route that parses the same JSON body and returns `{}`, in its own process
 * like the real server. The tracking bench reports single-request rates as a ratio of this.
 */
const app = Fastify({ logger: false });
app.server.on('connection', (s) => s.setNoDelay(true));
app.post('/bare/:id/metrics', async () => ({}));
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
console.log(`listening at http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
