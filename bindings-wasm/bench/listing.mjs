// The inspector's listing in headless chromium, step by step (BENCHMARKS.md, issue #18
// session 4), from the page's own marks (`performance.mark`, read back from a Chrome trace:
// `ts` is wall time, `tts` the main thread's CPU time):
//   scan      choosing the file → directory read (Blob reads + the core's scanner in WASM)
//   page      status line, table head, sort order, filter (before any record is needed)
//   columns   the core builds the record columns in WASM (`FstDirectory.nextRecordTable`: the first batch)
//   transfer  the columns and the table of distinct values copied out to JavaScript
//   values    that table parsed (JSON.parse)
//   render    the rows in view: their records built, the DOM rows written, laid out
//   paint     up to the painted frame
//   overscan  after it: the rows just beyond the visible ones (drawn for scrolling)
// Compiling the WebAssembly module happens at page load, apart (`wasm`, wall). Each round
// is a new browser (nothing compiled or cached: the first open); the same page then opens
// the file again `--again` times (warm code). `all` is building every record afterwards
// (what a sort by another column or a word filter needs; the page does it after the paint).
// `cpuToPaint` is the main thread's CPU (CDP ThreadTime) from choosing the file to the
// painted frame, wall the page's own figure: both also for a page without the marks.
// Usage: node bench/listing.mjs FILE [--rounds 5] [--again 5] [--json OUT] [--www DIR]
//        (after ci.sh built www/pkg; CHROMIUM as in ci.sh). `--www` serves another build
//        of the page (before/after). TRACE_TOP=markA,markB prints where the main thread's
//        CPU went between two marks (Chrome trace events by thread time; TRACE_N=40 lists
//        more, TRACE_CATS=blink,fonts adds trace categories); TRACE_LAYOUT=1 also prints
//        each layout's dirty objects.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serve } from '../test/static-server.mjs';

const { values: opts, positionals: [file] } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '5' },
    again: { type: 'string', default: '5' },
    json: { type: 'string' },
    www: { type: 'string' }, // another build of the page (a before/after comparison)
  },
});
if (!file) throw new Error('usage: node bench/listing.mjs FILE [--rounds N] [--again N] [--json OUT] [--www DIR]');
const WWW = opts.www || fileURLToPath(new URL('../www/', import.meta.url));
const server = await serve(WWW, 0);
const url = `http://127.0.0.1:${server.address().port}/index.html`;

const STEPS = [
  ['scan', 'fst24:open', 'fst24:scan'],
  ['page', 'fst24:scan', 'fst24:table'],
  ['columns', 'fst24:table', 'fst24:columns'],
  ['transfer', 'fst24:columns', 'fst24:transfer'],
  ['values', 'fst24:transfer', 'fst24:values'],
  ['render', 'fst24:values', 'inspector:rendered'],
  ['paint', 'inspector:rendered', 'inspector:painted'],
  ['overscan', 'inspector:painted', 'inspector:overscan'], // after the paint: rows beyond view
  ['listing', 'fst24:scan', 'inspector:painted'], // from the directory read to the painted rows
  ['total', 'inspector:load', 'inspector:painted'],
];

/** Opens `file` in the page under a trace of the page's marks: each step's wall and CPU. */
async function openFile(page, cdp) {
  const events = [];
  const collect = (d) => events.push(...d.value);
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['blink.user_timing', ...(process.env.TRACE_TOP ? ['devtools.timeline', 'v8', 'disabled-by-default-v8.gc', ...(process.env.TRACE_CATS || '').split(',').filter(Boolean)] : [])] }, transferMode: 'ReportEvents' });
  await page.evaluate(() => { window.fst24Inspector.timings.load = undefined; document.getElementById('file').value = ''; });
  const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value * 1000;
  const c0 = await threadTime();
  await page.setInputFiles('#file', file);
  await page.waitForFunction(() => window.fst24Inspector.timings.load !== undefined);
  // The main thread's CPU from choosing the file to the painted frame (and the polling
  // above): also for pages without the marks (a before/after comparison).
  const cpuToPaint = (await threadTime()) - c0;
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  const marks = new Map();
  for (const e of events) if (e.cat === 'blink.user_timing' && (e.ph === 'I' || e.ph === 'R')) marks.set(e.name, e);
  if (process.env.TRACE_TOP) {
    // Where the CPU went between two marks (devtools.timeline events by thread time).
    const [a, b] = process.env.TRACE_TOP.split(',').map((m) => marks.get(m));
    const by = new Map();
    for (const e of events) {
      if (e.ph !== 'X' || e.tid !== a.tid || e.ts < a.ts || e.ts > b.ts || !e.tdur) continue;
      by.set(e.name, (by.get(e.name) || 0) + e.tdur / 1000);
      if (process.env.TRACE_LAYOUT && e.name === 'Layout') console.log('Layout', (e.tdur / 1000).toFixed(1), JSON.stringify(e.args).slice(0, 300));
    }
    console.log([...by].sort((x, y) => y[1] - x[1]).slice(0, Number(process.env.TRACE_N || 15)).map(([n, ms]) => `${ms.toFixed(1)} ${n}`).join(' | '));
  }
  const out = {};
  for (const [name, from, to] of STEPS) {
    const [a, b] = [marks.get(from), marks.get(to)];
    out[name] = a && b ? { wall: (b.ts - a.ts) / 1000, cpu: (b.tts - a.tts) / 1000 } : null;
  }
  // Every record built, after the paint (the page starts it in a task of its own).
  out.all = await page.evaluate(() => {
    const f = window.fst24Inspector.file;
    f.records();
    return f.timings ? { wall: f.timings.build, cpu: null } : null;
  });
  out.records = await page.evaluate(() => window.fst24Inspector.file.length);
  out.cpuToPaint = { cpu: cpuToPaint, wall: await page.evaluate(() => window.fst24Inspector.timings.load) };
  return out;
}

const rounds = [];
for (let r = 0; r < Number(opts.rounds); r += 1) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(url);
    await page.waitForSelector('body[data-state="ready"]');
    const wasm = await page.waitForFunction(() => window.fst24Inspector.timings.wasm, null, { timeout: 10000 })
      .then((h) => h.jsonValue(), () => null); // pages before it was timed
    const first = await openFile(page, cdp);
    const again = [];
    for (let k = 0; k < Number(opts.again); k += 1) again.push(await openFile(page, cdp));
    rounds.push({ wasm, first, again });
  } finally {
    await browser.close();
  }
}
server.close();

const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[xs.length >> 1] : NaN);
const pick = (xs, k) => xs.filter((x) => x && x[k] !== null && x[k] !== undefined).map((x) => x[k]);
const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-').padStart(7);
const names = [...STEPS.map((s) => s[0]), 'all', 'cpuToPaint'];
const summary = {};
console.log(`${file}: ${rounds[0].first.records} records; ${rounds.length} fresh browsers, ${opts.again} more opens each; wasm compile at page load ${f(median(rounds.map((r) => r.wasm).filter(Boolean)))} ms wall`);
console.log(`${'ms, median'.padEnd(10)} ${'first: CPU'.padStart(10)} ${'wall'.padStart(7)}   ${'later: CPU'.padStart(10)} ${'wall'.padStart(7)}`);
for (const name of names) {
  const first = rounds.map((r) => r.first[name]);
  const later = rounds.flatMap((r) => r.again.map((a) => a[name]));
  summary[name] = { first: { cpu: median(pick(first, 'cpu')), wall: median(pick(first, 'wall')) }, later: { cpu: median(pick(later, 'cpu')), wall: median(pick(later, 'wall')) } };
  const s = summary[name];
  console.log(`${name.padEnd(10)} ${f(s.first.cpu).padStart(10)} ${f(s.first.wall)}   ${f(s.later.cpu).padStart(10)} ${f(s.later.wall)}`);
}
console.log('first opens, listing CPU:', rounds.map((r) => r.first.listing && r.first.listing.cpu.toFixed(0)).join(' '),
  '; total CPU:', rounds.map((r) => r.first.total && r.first.total.cpu.toFixed(0)).join(' '));
if (opts.json) writeFileSync(opts.json, JSON.stringify({ file, rounds, summary }, null, 1));
