// A tiny static file server for the page (127.0.0.1, a free port), with the MIME types
// that ES modules and WebAssembly streaming need. Usage: node static-server.mjs DIR [PORT]
import http from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
};

/** Serves `root`; resolves to the listening server. HTTP Range requests (one range,
 *  `bytes=a-b`, `bytes=a-`, `bytes=-n`) get 206 like nginx, unless `options.ranges` is false
 *  (a server that ignores them and sends the whole file). `options.mounts` maps URL
 *  prefixes to other directories (`{ '/data/': corpus }`). */
export function serve(root, port = 0, options = {}) {
  const ranges = options.ranges !== false;
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    let urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let dir = base;
    for (const [prefix, target] of Object.entries(options.mounts || {})) {
      if (urlPath.startsWith(prefix)) {
        dir = path.resolve(target);
        urlPath = `/${urlPath.slice(prefix.length)}`;
      }
    }
    const file = path.join(dir, urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath);
    let ok = file.startsWith(dir + path.sep);
    try { ok = ok && statSync(file).isFile(); } catch { ok = false; }
    if (!ok) {
      res.writeHead(404).end('not found');
      return;
    }
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    const size = statSync(file).size;
    const m = ranges && /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
    if (m && (m[1] || m[2])) {
      let start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
      let end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      if (!m[1]) start = Math.max(0, size - Number(m[2]));
      if (start >= size || end < start) {
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      end = Math.min(end, size - 1);
      res.writeHead(206, {
        'content-type': type, 'accept-ranges': 'bytes', 'content-length': end - start + 1,
        'content-range': `bytes ${start}-${end}/${size}`,
      });
      createReadStream(file, { start, end }).pipe(res);
      return;
    }
    res.writeHead(200, { 'content-type': type, 'content-length': size, ...(ranges ? { 'accept-ranges': 'bytes' } : {}) });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve(process.argv[2] || '.', Number(process.argv[3] || 8000));
  console.log(`serving ${process.argv[2] || '.'} on http://127.0.0.1:${server.address().port}/`);
}
