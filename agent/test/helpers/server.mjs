// A tiny static server on 127.0.0.1 (random port) for test pages and the agent bundles.
//   /agent.js, /agent.mjs          the committed bundles, config literal untouched
//   /baked/agent.js, /baked/agent.mjs  the same with the literal replaced by `baked`, as the
//                                  Sightline server does when it serves the agent
//   /agent/v1/config               `config` as JSON (404 when not given)
//   anything in `pages`            HTML
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const MARKER = '"__SIGHTLINE_AGENT_CONFIG__"';

export async function startServer({ config = null, baked = null, pages = {}, files = {} } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const js = 'text/javascript; charset=utf-8';
    const bundle = (file) => readFileSync(join(DIST, file), 'utf8');
    const p = url.pathname;
    if (p === '/agent.js' || p === '/agent.mjs') return send(200, js, bundle(p.slice(1)));
    if ((p === '/baked/agent.js' || p === '/baked/agent.mjs') && baked) {
      return send(200, js, bundle(p.slice(7)).replace(MARKER, () => JSON.stringify(baked)));
    }
    if (p === '/agent/v1/config' && config) return send(200, 'application/json', JSON.stringify(config));
    if (p in pages) return send(200, 'text/html; charset=utf-8', pages[p]);
    if (p in files) return send(200, js, files[p]);
    send(404, 'text/plain', 'not found');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** HTML page loading the classic bundle from `script`, optionally calling init(`init`). */
export function page({ body = '', script = '/baked/agent.js', init = null } = {}) {
  const initCall = init === null ? '' : `<script>sightline.init(${JSON.stringify(init)});</script>`;
  // init() after the body, as on a form page: targets must exist when it runs.
  return `<!doctype html><html><head><meta charset="utf-8"><title>t</title>
<script src="${script}"></script></head><body>${body}${initCall}</body></html>`;
}
