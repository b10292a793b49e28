// The Node addon against librmn's reference files: keys of every record, decoded arrays
// (sync and on the libuv pool), and errors. Run: node --test test/  (after `napi build`)
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  copyFileSync, mkdtempSync, openSync, ftruncateSync, closeSync, rmSync, readdirSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  data, referenceRecords, referenceArray, compareRecord, comparable, withoutArray,
  referenceDecoded, ourDecoded, roundedDecoded, referencePk, ourPk,
} from '../../bindings-wasm/test/reference.mjs';

const require = createRequire(import.meta.url);
const { open, openAsync, FstFile, RECORD_FIELDS } = require('../index.js');

const LISTED = ['librmn019/grids.fst', 'librmn019/mini_gem.fst', 'librmn019/dates_etikets.fst',
  'librmn019/erased.fst', 'librmn20/mixed_xdf.fst', 'librmn20/deleted_xdf.fst',
  'librmn20/mixed_rsf.fst', 'librmn20/deleted_rsf.fst', 'librmn20/filemeta_rsf.fst'];
const DECODED = ['librmn019/grids.fst', 'librmn20/mixed_xdf.fst', 'librmn20/mixed_rsf.fst'];

for (const rel of LISTED) {
  test(`open() lists ${rel} like librmn`, () => {
    const file = open(data(rel));
    const expected = referenceRecords(data(rel)).map(withoutArray);
    const records = file.records();
    assert.equal(file.backend, rel.includes('rsf') ? 'rsf' : 'xdf');
    assert.equal(file.length, expected.length);
    assert.equal(records.length, expected.length);
    records.forEach((rec, i) => {
      assert.deepEqual(Object.keys(rec), RECORD_FIELDS, 'the shared field list, in order');
      if (i > 0) assert.ok(rec.key > records[i - 1].key, 'keys increase');
      assert.deepEqual(comparable(rec, expected[i]), expected[i], `record ${i}`);
    });
    // Built from the core's columns, equal (-0, nulls and all) to the core's JSON.
    assert.deepStrictEqual(records.map((r) => ({ ...r })), JSON.parse(file._inner.recordsJson()));
    file.close();
  });
}

for (const rel of DECODED) {
  test(`readRecord and readRecordAsync decode ${rel} like librmn`, async (t) => {
    const file = await openAsync(data(rel));
    t.after(() => file[Symbol.dispose]());
    const expected = referenceRecords(data(rel));
    const records = file.records();
    const failures = [];
    for (let i = 0; i < expected.length; i += 1) {
      const ref = referenceArray(expected[i].array);
      if (!ref || expected[i].datyp % 64 === 3) continue; // 019 chars: uint32 buffer, see README
      try {
        const options = { missing: expected[i].array.missing };
        const { key } = records[i];
        const sync = file.readRecord(key, options);
        assert.deepEqual(sync.shape, [records[i].ni, records[i].nj, records[i].nk]);
        assert.equal(sync.dtype, records[i].element_type);
        assert.equal(sync.data.length, ref.length, 'length');
        assert.equal(compareRecord(rel, records[i].nomvar, sync.data, ref), null);
        const later = await file.readRecordAsync(key, options);
        assert.deepEqual(later, sync);
      } catch (err) {
        failures.push(`record ${i} (${records[i].nomvar} ${records[i].data_type}): ${err.message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(failures, []);
  });
}

for (const rel of ['librmn019/grids.fst', 'librmn019/dates_etikets.fst', 'librmn20/mixed_rsf.fst']) {
  test(`decoded levels and dates of ${rel} match librmn's ConvertIp and newdate`, () => {
    const records = open(data(rel)).records();
    const expected = referenceDecoded(data(rel));
    assert.equal(records.length, expected.length);
    records.forEach((rec, i) => {
      assert.deepEqual(ourDecoded(rec), roundedDecoded(expected[i]), `record ${i} (${rec.nomvar})`);
    });
  });
}

for (const rel of ['librmn20/mixed_rsf.fst', 'librmn20/appended_xdf.fst']) {
  test(`ip1/ip2/ip3 of ${rel} read together like librmn 20's ConvertIPtoPK`, () => {
    const records = (open(data(rel))).records();
    const expected = referencePk(data(rel));
    records.forEach((rec, i) => assert.deepEqual(ourPk(rec), expected[i], `record ${i} (${rec.nomvar})`));
  });
}

test('f32 records come back as Float32Array', () => {
  const file = open(data('librmn20/mixed_xdf.fst'));
  const rec = file.records().find((r) => r.data_type === 'E32' && r.element_type === 'f32');
  const array = file.readRecord(rec.key);
  assert.ok(array.data instanceof Float32Array);
  assert.equal(array.data.length, rec.ni * rec.nj);
});

test('errors are Node-style: system codes with errno and path, ERR_FST24_* codes, RangeError', async () => {
  const missing = data('no/such/file.fst');
  for (const attempt of [() => open(missing), () => openAsync(missing)]) {
    await assert.rejects(async () => attempt(), (err) => {
      assert.equal(err.code, 'ENOENT');
      assert.equal(err.errno, -2);
      assert.equal(err.syscall, 'open');
      assert.equal(err.path, missing);
      assert.match(err.message, /^ENOENT: /);
      return true;
    });
  }
  assert.throws(() => open(data('librmn019/README.md')),
    { code: 'ERR_FST24_FORMAT', message: /not an RPN standard file/ });
  assert.throws(() => open(42), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  const file = open(data('librmn019/erased.fst'));
  const keys = new Set(file.records().map((r) => r.key));
  const deleted = [...Array(Math.max(...keys)).keys()].find((k) => !keys.has(k));
  assert.notEqual(deleted, undefined, 'erased.fst has a deleted entry');
  for (const key of [-1, 1.5, NaN, deleted, 1e9]) {
    assert.throws(() => file.readRecord(key), (err) => err instanceof RangeError && err.code === 'ERR_OUT_OF_RANGE'
      && !/4294967295/.test(err.message), `key ${key}`);
    await assert.rejects(file.readRecordAsync(key), RangeError);
  }
  assert.throws(() => file.readRecord(file.records()[0].key, { missing: 'zero' }),
    { name: 'TypeError', code: 'ERR_FST24_USAGE', message: /missing must be/ });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'fst24-node-'));
  try {
    const cut = path.join(dir, 'cut.fst');
    copyFileSync(data('librmn019/grids.fst'), cut);
    const fd = openSync(cut, 'r+');
    ftruncateSync(fd, 5000);
    closeSync(fd);
    assert.throws(() => open(cut), { code: 'ERR_FST24_FORMAT', path: cut, message: /offset \d+/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('close(), using and Symbol.dispose release the descriptor; a closed file says so', () => {
  const rel = data('librmn019/grids.fst');
  const fds = () => readdirSync('/proc/self/fd').length;
  const before = fds();
  for (let i = 0; i < 2000; i += 1) {
    const file = open(rel); // `using file = ...` in TypeScript (test/types/program.ts)
    try {
      assert.ok(file.length > 0);
    } finally {
      file[Symbol.dispose]();
    }
  }
  for (let i = 0; i < 2000; i += 1) open(rel).close();
  assert.ok(fds() <= before + 2, `descriptors leaked: ${before} before, ${fds()} after`);
  const file = open(rel);
  file.close();
  file.close();
  assert.equal(file.closed, true);
  assert.throws(() => file.records(), { code: 'ERR_FST24_CLOSED' });
  assert.throws(() => file.readRecord(0), { code: 'ERR_FST24_CLOSED' });
});

test('records: cached, iterable, async iterable; openAsync/recordsAsync leave the event loop free', async () => {
  const file = await openAsync(data('librmn20/mixed_rsf.fst'));
  const a = file.records();
  const b = file.records();
  assert.notEqual(a, b, 'a new array each call (callers may sort it)');
  assert.equal(a[0], b[0], 'the same frozen record objects');
  assert.ok(Object.isFrozen(a[0]));
  assert.deepEqual([...file], a);
  const streamed = [];
  for await (const rec of file) streamed.push(rec);
  assert.deepEqual(streamed, a);
  const again = await openAsync(data('librmn20/mixed_rsf.fst'));
  const listed = await again.recordsAsync();
  assert.deepEqual(listed, a);
  assert.ok(!a.some((r) => /\s$/.test(r.nomvar) || /\s$/.test(r.etiket)), 'names trimmed');
  file.close();
  again.close();
});

test('10,000 records: records() built from the core\'s columns equals its JSON (CPU time reported)', (t) => {
  const cli = process.env.FST24_CLI;
  assert.ok(cli, 'FST24_CLI must name the fst24 tool (ci.sh builds it)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fst24-node-10k-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const big = path.join(dir, 'ten-thousand.fst');
  const source = data('librmn20/mixed_xdf.fst');
  const copies = Math.ceil(10000 / referenceRecords(source).length);
  execFileSync(cli, ['cp', ...Array(copies).fill(source), big], { stdio: 'pipe' });
  const cpu = [];
  let records;
  for (let run = 0; run < 5; run += 1) {
    const file = open(big); // a new file: records() builds its list anew
    const c0 = process.cpuUsage();
    records = file.records();
    const used = process.cpuUsage(c0);
    cpu.push((used.user + used.system) / 1000);
    if (run === 0) assert.deepStrictEqual(records.map((r) => ({ ...r })), JSON.parse(file._inner.recordsJson()));
    file.close();
  }
  assert.ok(records.length >= 10000);
  const sorted = [...cpu].sort((a, b) => a - b);
  // Reported, not asserted (timings belong in benchmarks; BENCHMARKS.md has the figures).
  t.diagnostic(`${records.length} records: records() CPU time (process, GC threads included) `
    + `first ${cpu[0].toFixed(1)} ms, median ${sorted[2].toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms`);
});
