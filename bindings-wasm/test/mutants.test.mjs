// Structure-aware mutants of the reference corpus (see mutants.mjs) through the wasm
// build: the Blob-driven open, records, and read of every record in every missing mode.
// Every call must resolve or reject with a JS Error, never a WebAssembly trap (a panic or
// an allocation failure inside the module). Run: node --test bindings-wasm/test/
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ready, openBlob } from '../www/fst24.js';
import { writeMutants, regressionMutants } from './mutants.mjs';

await ready(readFileSync(fileURLToPath(new URL('../www/pkg/fst24_wasm_bg.wasm', import.meta.url))));

/** Runs `mutants` ([{ path, label }]) through the wasm build; the findings, labelled. */
async function failuresOf(mutants) {
  const failures = [];
  const attempt = async (what, fn) => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError || !(err instanceof Error)) {
        failures.push(`${what}: ${String(err && err.message)}`);
      }
      return undefined;
    }
  };
  for (const m of mutants) {
    const file = await attempt(`${m.label}: open`, () => openBlob(new Blob([readFileSync(m.path)])));
    if (!file) continue;
    const records = (await attempt(`${m.label}: records`, () => file.records())) ?? [];
    for (let i = 0; i < records.length; i += 1) {
      for (const missing of ['plug', 'marker', 'nan']) {
        await attempt(`${m.label}: read(${i}, ${missing})`, () => file.read(records[i].key, { missing }));
      }
    }
    file.close();
  }
  return failures;
}

test('structure-aware mutants never trap the wasm build', { timeout: 1_200_000 }, async () => {
  const mutants = writeMutants();
  assert.ok(mutants.length > 200, `${mutants.length} mutants`);
  let failures;
  try {
    failures = await failuresOf(mutants);
  } finally {
    rmSync(path.dirname(mutants[0].path), { recursive: true, force: true });
  }
  console.log(`ran ${mutants.length} mutants through the wasm build, ${failures.length} failures`);
  assert.deepEqual(failures, []);
});

test('mutants that once broke a surface (core/tests/regressions/mutants/)', async () => {
  const regressions = regressionMutants();
  assert.ok(regressions.length > 0, 'no regression inputs');
  assert.deepEqual(await failuresOf(regressions), []);
});
