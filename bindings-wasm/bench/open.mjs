// Lists a file with the WASM build under Node, from the file's bytes in memory (files up to
// 256 MiB), from a local Blob and from a URL through HTTP Range requests
// (test/static-server.mjs on 127.0.0.1), and reads one record each way: requests, bytes
// and time, and the listing's steps (`file.timings`: directory read, the core's columns,
// their transfer, the values parsed, every record built). The first run of a source is
// the first call of the process for the in-memory source (cold code), the median is over
// the later runs. Usage: node bench/open.mjs FILE [RUNS]
import { openAsBlob, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ready, openBlob, openUrl } from '../www/fst24.js';
import { serve } from '../test/static-server.mjs';

const [file, runs = '5'] = process.argv.slice(2);
let t0 = performance.now();
await ready(readFileSync(fileURLToPath(new URL('../www/pkg/fst24_wasm_bg.wasm', import.meta.url))));
console.log(`WebAssembly module compiled and instantiated in ${(performance.now() - t0).toFixed(1)} ms`);
const server = await serve(path.dirname(path.resolve(file)));
const url = `http://127.0.0.1:${server.address().port}/${path.basename(file)}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sources = [['local Blob', async () => openBlob(await openAsBlob(file))], ['HTTP Range', () => openUrl(url)]];
if (statSync(file).size <= 256 << 20) {
  const bytes = new Blob([readFileSync(file)]);
  sources.unshift(['bytes in memory', () => openBlob(bytes)]);
}

for (const [name, open] of sources) {
  const list = [];
  const one = [];
  const steps = [];
  let traffic;
  for (let i = 0; i < Number(runs); i += 1) {
    t0 = performance.now();
    const f = await open();
    const records = f.records();
    list.push(performance.now() - t0);
    steps.push({ ...f.timings });
    const listed = f.traffic;
    const rec = records.find((r) => r.nomvar === 'TT') || records[0];
    t0 = performance.now();
    await f.read(rec.key);
    one.push(performance.now() - t0);
    traffic = { listed, total: f.traffic, records: records.length, size: f.size };
    f.close();
  }
  const { listed, total, records, size } = traffic;
  const later = steps.slice(1);
  const fmt = (s) => Object.entries(s).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  const medians = Object.fromEntries(Object.keys(steps[0]).map((k) => [k, median(later.map((s) => s[k]))]));
  console.log(`${name}: ${records} records of ${size} bytes listed in ${median(list).toFixed(1)} ms median, first ${list[0].toFixed(1)} ms `
    + `(${listed.requests} reads, ${listed.bytes} bytes); one TT record in ${median(one).toFixed(1)} ms `
    + `(${total.requests - listed.requests} read, ${total.bytes - listed.bytes} bytes)\n  steps, first run: ${fmt(steps[0])}\n  steps, median of the others: ${fmt(medians)}`);
}
server.close();
