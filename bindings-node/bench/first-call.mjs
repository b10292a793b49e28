// `records()` step by step, first call of a fresh process and later calls (BENCHMARKS.md,
// issue #18 session 4): loading the addon, opening the file (directory read), the native
// call (the core builds the columns, napi hands them over as typed arrays), parsing and
// freezing the table of distinct values, building the record objects (index.js's steps,
// replayed here); then `records()` whole, as the first call of another fresh process.
// Every round is a new `node` process (nothing compiled or warmed); within it, the file is
// opened again `--again` times (warm code, a new list each time). CPU time is the process's
// (process.cpuUsage: all threads, the garbage collector's helpers included).
// Usage: node bench/first-call.mjs FILE [--rounds 7] [--again 7] [--json OUT] [--module DIR]
//        (after `npm run build`)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts, positionals: [file] } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '7' },
    again: { type: 'string', default: '7' },
    json: { type: 'string' },
    child: { type: 'boolean', default: false },
    public: { type: 'boolean', default: false },
    module: { type: 'string' }, // another build of this package (a before/after comparison)
  },
});
if (!file) throw new Error('usage: node bench/first-call.mjs FILE [--rounds N] [--again N] [--json OUT]');

/** This package, or the build `--module` names. */
function loadModule() {
  return createRequire(import.meta.url)(opts.module ? path.resolve(opts.module, 'index.js') : '../index.js');
}

/** What index.js did before the core resolved the values (`--module` of an older build). */
function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A process whose first call is the public `records()`, whole. */
function publicChild() {
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const fst = loadModule();
  const f = fst.open(file);
  const [c0, w0] = [cpu(), performance.now()];
  const n = f.records().length;
  process.stdout.write(JSON.stringify({ n, records: { cpu: cpu() - c0, wall: performance.now() - w0 } }));
}

/** One process: the steps of the first call, then whole `records()` calls on new opens. */
function child() {
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const steps = {};
  let c = cpu();
  let w = performance.now();
  const lap = (name) => {
    const [c1, w1] = [cpu(), performance.now()];
    steps[name] = { cpu: c1 - c, wall: w1 - w };
    [c, w] = [c1, w1];
  };
  const fst = loadModule();
  lap('require');
  const f = fst.open(file);
  lap('open');
  // What `records()` does, step by step (index.js `recordsFromColumns`).
  const table = f._inner.recordsColumns();
  lap('native');
  const resolve = table.resolver ? new Function('v', table.resolver) : deepFreeze; // eslint-disable-line no-new-func
  const values = resolve(JSON.parse(table.values));
  lap('values');
  const build = new Function('c', 'v', 'i', table.builder); // eslint-disable-line no-new-func
  const out = new Array(table.length);
  for (let i = 0; i < table.length; i += 1) out[i] = Object.freeze(build(table.columns, values, i));
  lap('build');
  f.close();
  const g = fst.open(file);
  lap('reopen');
  const n = g.records().length;
  lap('records'); // the public call, whole: its own builder is compiled now
  g.close();
  const later = [];
  for (let k = 0; k < Number(opts.again); k += 1) {
    const h = fst.open(file);
    lap('reopen');
    h.records();
    lap('again');
    later.push(steps.again);
    h.close();
  }
  process.stdout.write(JSON.stringify({ n, steps, later }));
}

if (opts.child) {
  child();
} else if (opts.public) {
  publicChild();
} else {
  const self = fileURLToPath(import.meta.url);
  const rounds = [];
  for (let r = 0; r < Number(opts.rounds); r += 1) {
    const more = opts.module ? ['--module', opts.module] : [];
    const round = JSON.parse(execFileSync(process.execPath, [self, file, '--child', '--again', opts.again, ...more]));
    round.public = JSON.parse(execFileSync(process.execPath, [self, file, '--public', ...more])).records;
    rounds.push(round);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const min = (xs) => Math.min(...xs);
  const row = (name, xs) => console.log(`${name.padEnd(34)} ${['cpu', 'wall'].map((k) => `${median(xs.map((x) => x[k])).toFixed(1).padStart(7)} (min ${min(xs.map((x) => x[k])).toFixed(1).padStart(5)})`).join('  ')}`);
  console.log(`${file}: ${rounds[0].n} records, ${rounds.length} fresh processes, ${opts.again} later calls each`);
  console.log(`${'ms: median (min)'.padEnd(34)} ${'CPU'.padStart(18)}  ${'wall'.padStart(18)}`);
  for (const step of ['require', 'open', 'native', 'values', 'build']) row(`first call: ${step}`, rounds.map((x) => x.steps[step]));
  row('first call: native+values+build', rounds.map((x) => ({
    cpu: x.steps.native.cpu + x.steps.values.cpu + x.steps.build.cpu,
    wall: x.steps.native.wall + x.steps.values.wall + x.steps.build.wall,
  })));
  row('first call: records(), whole', rounds.map((x) => x.public));
  row('another file, same process', rounds.map((x) => x.steps.records));
  row('later calls: records()', rounds.flatMap((x) => x.later));
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ file, rounds }, null, 1));
}
