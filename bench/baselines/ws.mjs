// B-ws: a raw `ws` server that broadcasts the same payload to the same N clients. The runner
// sends {type:'broadcast', payload} over IPC (one hop, like the Redis hop the radio takes).
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT), perMessageDeflate: false });
wss.on('listening', () => process.send({ type: 'ready' }));
process.on('message', (m) => {
  if (m.type === 'broadcast') {
    const data = JSON.stringify(m.payload);
    for (const c of wss.clients) {
      c.send(data);
    }
  } else if (m.type === 'count') {
    process.send({ type: 'count', clients: wss.clients.size });
  }
});
process.on('SIGTERM', () => {
  for (const c of wss.clients) {
    c.terminate();
  }
  wss.close(() => process.exit(0));
});
