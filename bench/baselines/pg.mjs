// B-pg: bare Fastify 5 POST /incidents -> pg Pool(10), prepared INSERT ... RETURNING id, same
// columns, durable commit (the server runs synchronous_commit=on). No Nest, no ORM, no auth.
import Fastify from 'fastify';
import pg from 'pg';
import { INSERT_INCIDENT, insertValues } from './incident-insert.mjs';

const ids = JSON.parse(process.env.BENCH_IDS);
const pool = new pg.Pool({ connectionString: process.env.BENCH_PG_URL, max: 10 });
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/incidents', async (req, reply) => {
  const r = await pool.query({ name: 'insert_incident', text: INSERT_INCIDENT, values: insertValues(req.body, ids) });
  reply.code(201);
  return { id: r.rows[0].id };
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.on('SIGTERM', () => app.close().then(() => pool.end()).then(() => process.exit(0)));
