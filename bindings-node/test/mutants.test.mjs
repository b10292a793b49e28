// Structure-aware mutants of the reference corpus (see bindings-wasm/test/mutants.mjs)
// through the addon: open, records, readRecord, readRecordAsync in every missing mode.
// A worker process runs them in batches with a timeout; every call must return or throw a
// JS Error. A crash (abort, signal), a hang or a worker over 2 GiB of memory fails the test
// naming the mutant.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeMutants, regressionMutants } from '../../bindings-wasm/test/mutants.mjs';

const ADDON = fileURLToPath(new URL('../index.js', import.meta.url));
const BATCH = 60;
const TIMEOUT_MS = 600_000;
const MAX_RSS_KB = 2 * 1024 * 1024;

// One line of JSON per finished mutant: [path, [findings]]; then the peak RSS.
const WORKER = `
const { open } = require(${JSON.stringify(ADDON)});
const lines = require('fs').readFileSync(0, 'utf8').split('\\n').filter(Boolean);
(async () => {
  for (const p of lines) {
    const bad = [];
    const attempt = async (what, fn) => {
      try { await fn(); } catch (e) {
        if (!(e instanceof Error) || /panicked|unreachable|RuntimeError/.test(String(e.message))) {
          bad.push(what + ': ' + String(e && e.message).slice(0, 300));
        }
      }
    };
    let file;
    await attempt('open', () => { file = open(p); });
    if (file) {
      let records = [];
      await attempt('records', () => { records = file.records(); file.warnings(); });
      for (const { key: i } of records) {
        for (const missing of ['plug', 'marker', 'nan']) {
          await attempt('readRecord(' + i + ',' + missing + ')', () => file.readRecord(i, { missing }));
        }
        await attempt('readRecordAsync(' + i + ')', () => file.readRecordAsync(i));
      }
      file.close();
    }
    process.stdout.write(JSON.stringify([p, bad]) + '\\n');
  }
  process.stdout.write(JSON.stringify(['maxRSS', process.resourceUsage().maxRSS]) + '\\n');
})();
`;

function run(paths) {
  const r = spawnSync(process.execPath, ['-e', WORKER], {
    input: paths.join('\n') + '\n', timeout: TIMEOUT_MS, encoding: 'utf8', maxBuffer: 1 << 26,
  });
  const done = new Map();
  let rss = 0;
  for (const line of (r.stdout ?? '').split('\n').filter(Boolean)) {
    const [p, bad] = JSON.parse(line);
    if (p === 'maxRSS') rss = bad; else done.set(p, bad);
  }
  let end = 'ok';
  if (r.error?.code === 'ETIMEDOUT') end = `no answer in ${TIMEOUT_MS / 1000} s (hang)`;
  else if (r.status !== 0) end = `exit ${r.status} signal ${r.signal}: ${(r.stderr ?? '').slice(-300)}`;
  else if (rss > MAX_RSS_KB) end = `peak RSS ${rss} kB`;
  return { done, end };
}

/** Runs `mutants` ([{ path, label }]) in worker batches; the findings, labelled. */
function failuresOf(mutants) {
  const label = new Map(mutants.map((m) => [m.path, m.label]));
  const failures = [];
  for (let start = 0; start < mutants.length; start += BATCH) {
    let rest = mutants.slice(start, start + BATCH).map((m) => m.path);
    while (rest.length > 0) {
      const { done, end } = run(rest);
      for (const [p, bad] of done) for (const b of bad) failures.push(`${label.get(p)}: ${b}`);
      if (end === 'ok') break;
      const culprit = rest.find((p) => !done.has(p));
      if (culprit === undefined) { failures.push(`batch at ${start}: ${end}`); break; }
      failures.push(`${label.get(culprit)}: worker ${end}`);
      rest = rest.slice(rest.indexOf(culprit) + 1);
    }
  }
  return failures;
}

test('structure-aware mutants never crash, hang or exhaust the Node addon', () => {
  const mutants = writeMutants();
  assert.ok(mutants.length > 200, `${mutants.length} mutants`);
  let failures;
  try {
    failures = failuresOf(mutants);
  } finally {
    rmSync(path.dirname(mutants[0].path), { recursive: true, force: true });
  }
  console.log(`ran ${mutants.length} mutants through the Node addon, ${failures.length} failures`);
  assert.deepEqual(failures, []);
});

test('mutants that once broke a surface (core/tests/regressions/mutants/)', () => {
  const regressions = regressionMutants();
  assert.ok(regressions.length > 0, 'no regression inputs');
  assert.deepEqual(failuresOf(regressions), []);
});
