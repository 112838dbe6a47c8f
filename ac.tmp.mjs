import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
const tokens = JSON.parse(readFileSync('/tmp/tokens.json', 'utf8'));
const mode = process.argv[2];
let i = 0;
const base = 'http://127.0.0.1:4990';
const result = await autocannon({
  url: base, connections: 10, duration: 8,
  requests: [{
    setupRequest: (req) => {
      const token = tokens[i++ % tokens.length];
      if (mode === 'page') return { ...req, method: 'GET', path: '/', headers: { cookie: `register_session=${token}` } };
      const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
      const kind = Math.floor(i / tokens.length) % 2 === 0 ? 'signIn' : 'signOut';
      return { ...req, method: 'POST', path: `/?/${kind}`, headers: { cookie: `register_session=${token}`, origin: base, 'content-type': 'application/x-www-form-urlencoded' }, body: `date=${date}&actionId=${crypto.randomUUID()}` };
    },
  }],
});
console.log(mode, 'req/s', result.requests.average, 'p50', result.latency.p50, 'p99', result.latency.p99, 'non2xx', result.non2xx, 'errors', result.errors);
