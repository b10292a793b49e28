// Times open + records() of the Node module on one file (BENCHMARKS.md, "Node and browser").
// Usage: node bench/records.mjs FILE [RUNS]   (after `npm run build`). Each run opens the
// file anew, so `records` is a first call on that file; CPU time is the process's.
import { createRequire } from 'node:module';

const { open, openAsync } = createRequire(import.meta.url)('../index.js');
const [file, runs = '7'] = process.argv.slice(2);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const times = { open: [], records: [], recordsCpu: [], again: [], openAsync: [], recordsAsync: [], stall: [] };
const cpuMs = (since) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
for (let i = 0; i < Number(runs); i += 1) {
  let t0 = performance.now();
  const f = open(file);
  times.open.push(performance.now() - t0);
  t0 = performance.now();
  const c0 = process.cpuUsage();
  const records = f.records();
  times.records.push(performance.now() - t0);
  times.recordsCpu.push(cpuMs(c0)); // all threads: includes the GC's helpers
  t0 = performance.now();
  f.records();
  times.again.push(performance.now() - t0);
  f.close();
  // Async: the longest the event loop is blocked while opening and listing.
  let last = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 1);
  t0 = performance.now();
  const g = await openAsync(file);
  times.openAsync.push(performance.now() - t0);
  t0 = performance.now();
  await g.recordsAsync();
  times.recordsAsync.push(performance.now() - t0);
  clearInterval(timer);
  times.stall.push(stall);
  g.close();
  if (i === 0) {
    console.log(`${records.length} records; first call in this process (builder compiled, code cold): `
      + `records ${times.records[0].toFixed(1)} ms wall, ${times.recordsCpu[0].toFixed(1)} ms CPU`);
  }
}
for (const [name, xs] of Object.entries(times)) console.log(`${name}: median ${median(xs).toFixed(1)} ms`);
