// Lists a file with the WASM build under Node, from a local Blob and from a URL through HTTP
// Range requests (test/static-server.mjs on 127.0.0.1), and reads one record each way:
// requests, bytes and time (BENCHMARKS.md). Usage: node bench/open.mjs FILE [RUNS]
import { openAsBlob, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ready, openBlob, openUrl } from '../www/fst24.js';
import { serve } from '../test/static-server.mjs';

const [file, runs = '5'] = process.argv.slice(2);
await ready(readFileSync(fileURLToPath(new URL('../www/pkg/fst24_wasm_bg.wasm', import.meta.url))));
const server = await serve(path.dirname(path.resolve(file)));
const url = `http://127.0.0.1:${server.address().port}/${path.basename(file)}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const [name, open] of [['local Blob', async () => openBlob(await openAsBlob(file))], ['HTTP Range', () => openUrl(url)]]) {
  const list = [];
  const one = [];
  let traffic;
  for (let i = 0; i < Number(runs); i += 1) {
    let t0 = performance.now();
    const f = await open();
    const records = f.records();
    list.push(performance.now() - t0);
    const listed = f.traffic;
    const rec = records.find((r) => r.nomvar === 'TT') || records[0];
    t0 = performance.now();
    await f.read(rec.key);
    one.push(performance.now() - t0);
    traffic = { listed, total: f.traffic, records: records.length, size: f.size };
    f.close();
  }
  const { listed, total, records, size } = traffic;
  console.log(`${name}: ${records} records of ${size} bytes listed in ${median(list).toFixed(1)} ms `
    + `(${listed.requests} reads, ${listed.bytes} bytes); one TT record in ${median(one).toFixed(1)} ms `
    + `(${total.requests - listed.requests} read, ${total.bytes - listed.bytes} bytes)`);
}
server.close();
