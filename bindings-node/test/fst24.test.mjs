// The Node addon against librmn's reference files: keys of every record, decoded arrays
// (sync and on the libuv pool), and errors. Run: node --test test/  (after `napi build`)
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { copyFileSync, mkdtempSync, openSync, ftruncateSync, closeSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  data, referenceRecords, referenceArray, compareRecord, comparable, withoutArray,
  referenceDecoded, ourDecoded, roundedDecoded, referencePk, ourPk,
} from '../../bindings-wasm/test/reference.mjs';

const require = createRequire(import.meta.url);
const { open, FstFile } = require('../index.js');

const LISTED = ['librmn019/grids.fst', 'librmn019/mini_gem.fst', 'librmn019/dates_etikets.fst',
  'librmn019/erased.fst', 'librmn20/mixed_xdf.fst', 'librmn20/deleted_xdf.fst',
  'librmn20/mixed_rsf.fst', 'librmn20/deleted_rsf.fst', 'librmn20/filemeta_rsf.fst'];
const DECODED = ['librmn019/grids.fst', 'librmn20/mixed_xdf.fst', 'librmn20/mixed_rsf.fst'];

for (const rel of LISTED) {
  test(`open() lists ${rel} like librmn`, () => {
    const file = open(data(rel));
    const expected = referenceRecords(data(rel)).map(withoutArray);
    const records = file.records();
    assert.equal(file.backend, rel.includes('rsf') ? 'RSF' : 'XDF');
    assert.equal(file.length, expected.length);
    assert.equal(records.length, expected.length);
    records.forEach((rec, i) => {
      assert.equal(rec.position, i);
      assert.deepEqual(comparable(rec, expected[i]), expected[i], `record ${i}`);
    });
  });
}

for (const rel of DECODED) {
  test(`readRecord and readRecordAsync decode ${rel} like librmn`, async () => {
    const file = FstFile.open(data(rel));
    const expected = referenceRecords(data(rel));
    const records = file.records();
    const failures = [];
    for (let i = 0; i < expected.length; i += 1) {
      const ref = referenceArray(expected[i].array);
      if (!ref || expected[i].datyp % 64 === 3) continue; // 019 chars: uint32 buffer, see README
      try {
        const options = { missing: expected[i].array.missing };
        const sync = file.readRecord(i, options);
        assert.deepEqual(sync.shape, [records[i].ni, records[i].nj, records[i].nk]);
        assert.equal(sync.dtype, records[i].elementType);
        assert.equal(sync.data.length, ref.length, 'length');
        assert.equal(compareRecord(rel, records[i].nomvar, sync.data, ref), null);
        const later = await file.readRecordAsync(i, options);
        assert.deepEqual(later, sync);
      } catch (err) {
        failures.push(`record ${i} (${records[i].nomvar.trim()} ${records[i].dataType}): ${err.message.split('\n')[0]}`);
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
  const pos = file.records().findIndex((r) => r.dataType === 'E32' && r.elementType === 'f32');
  const array = file.readRecord(pos);
  assert.ok(array.data instanceof Float32Array);
  assert.equal(array.data.length, file.records()[pos].ni * file.records()[pos].nj);
});

test('errors are JS Errors naming the problem and where', async () => {
  assert.throws(() => open(data('librmn019/README.md')), /not an RPN standard file/);
  assert.throws(() => open(data('no/such/file.fst')), Error);
  const file = open(data('librmn019/grids.fst'));
  assert.throws(() => file.readRecord(file.length), /out of range/);
  assert.throws(() => file.readRecordAsync(file.length), /out of range/);
  assert.throws(() => file.readRecord(0, { missing: 'zero' }), /missing must be/);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'fst24-node-'));
  try {
    const cut = path.join(dir, 'cut.fst');
    copyFileSync(data('librmn019/grids.fst'), cut);
    const fd = openSync(cut, 'r+');
    ftruncateSync(fd, 5000);
    closeSync(fd);
    assert.throws(() => open(cut), /offset \d+/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
