// The wasm build under Node: the Blob-driven directory scan and record decoding, checked
// against librmn's reference JSON and arrays. Run: node --test bindings-wasm/test/
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  openAsBlob, existsSync, readFileSync, copyFileSync, truncateSync, mkdtempSync, rmSync, openSync, readSync,
  closeSync, statSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ready, openBlob, openUrl } from '../www/fst24.js';
import { FstScanner } from '../www/pkg/fst24_wasm.js';
import {
  data, referenceRecords, referenceArray, compareRecord, comparable, withoutArray,
  referenceDecoded, ourDecoded, roundedDecoded, referencePk, ourPk,
} from './reference.mjs';
import { serve } from './static-server.mjs';

/** The record shape every binding shares (the core's `RecordInfo`), in order. */
const RECORD_FIELDS = ['key', 'nomvar', 'typvar', 'etiket', 'grtyp', 'ni', 'nj', 'nk', 'dateo',
  'datev', 'deet', 'npas', 'ip1', 'ip2', 'ip3', 'ig1', 'ig2', 'ig3', 'ig4', 'datyp', 'nbits',
  'data_bits', 'ubc', 'data_type', 'element_type', 'offset', 'length', 'metadata', 'level',
  'ip2_decoded', 'ip3_decoded', 'pk', 'datev_iso', 'datev_unix', 'dateo_iso', 'dateo_unix',
  'backend', 'missing'];

await ready(readFileSync(fileURLToPath(new URL('../www/pkg/fst24_wasm_bg.wasm', import.meta.url))));

const XDF_FILES = ['librmn019/grids.fst', 'librmn019/mini_gem.fst', 'librmn019/dates_etikets.fst',
  'librmn019/erased.fst', 'librmn019/appended.fst', 'librmn20/mixed_xdf.fst', 'librmn20/deleted_xdf.fst'];
const RSF_FILES = ['librmn20/mixed_rsf.fst', 'librmn20/deleted_rsf.fst', 'librmn20/appended_rsf.fst',
  'librmn20/filemeta_rsf.fst'];
const DECODED_FILES = ['librmn019/grids.fst', 'librmn20/mixed_xdf.fst', 'librmn20/mixed_rsf.fst'];

async function open(rel) {
  return openBlob(await openAsBlob(data(rel)));
}

for (const rel of [...XDF_FILES, ...RSF_FILES]) {
  test(`lists ${rel} like librmn`, async () => {
    const file = await open(rel);
    const expected = referenceRecords(data(rel)).map(withoutArray);
    const records = file.records();
    assert.equal(file.backend, rel.includes('rsf') ? 'rsf' : 'xdf');
    assert.equal(records.length, expected.length);
    records.forEach((rec, i) => {
      assert.deepEqual(Object.keys(rec), RECORD_FIELDS, 'the shared field list, in order');
      if (i > 0) assert.ok(rec.key > records[i - 1].key, 'keys increase');
      assert.deepEqual(comparable(rec, expected[i]), expected[i], `record ${i}`);
    });
    // Built from the core's columns, equal (-0, nulls and all) to the core's JSON.
    assert.deepStrictEqual(records, JSON.parse(file.directory.recordsJson()));
    file.close();
  });
}

for (const rel of DECODED_FILES) {
  test(`decodes every record of ${rel} like librmn`, async () => {
    const file = await open(rel);
    const expected = referenceRecords(data(rel));
    const failures = [];
    for (let i = 0; i < expected.length; i += 1) {
      const ref = referenceArray(expected[i].array);
      if (!ref || expected[i].datyp % 64 === 3) continue; // 019 chars: uint32 buffer, see README
      const rec = file.records()[i];
      try {
        const array = await file.read(rec.key, { missing: expected[i].array.missing });
        assert.deepEqual(array.shape, [rec.ni, rec.nj, rec.nk]);
        assert.equal(array.dtype, rec.element_type);
        assert.equal(array.data.length, ref.length, 'length');
        assert.equal(compareRecord(rel, rec.nomvar, array.data, ref), null);
      } catch (err) {
        failures.push(`record ${i} (${rec.nomvar} ${rec.data_type}): ${err.message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(failures, []);
    file.close();
  });
}

test('decoded levels and dates match librmn (ConvertIp, newdate)', async () => {
  for (const rel of ['librmn019/grids.fst', 'librmn019/dates_etikets.fst', 'librmn20/mixed_rsf.fst']) {
    const file = await open(rel);
    const expected = referenceDecoded(data(rel));
    file.records().forEach((rec, i) => {
      assert.deepEqual(ourDecoded(rec), roundedDecoded(expected[i]), `${rel} record ${i}`);
    });
    file.close();
  }
});

/** A Blob-like over a file that counts what is read (Node 20's openAsBlob reports size 0
 *  for a 4 GiB file; browsers do not have that limit). */
function countingBlob(file) {
  const fd = openSync(file, 'r');
  const stats = { reads: 0, bytes: 0, close: () => closeSync(fd) };
  const blob = {
    size: statSync(file).size,
    slice(a, b) {
      stats.reads += 1;
      stats.bytes += b - a;
      return {
        async arrayBuffer() {
          const buf = Buffer.alloc(b - a);
          readSync(fd, buf, 0, b - a, a);
          return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
        },
      };
    },
  };
  return { blob, stats };
}

test('a 4 GiB file is listed from its header and directory only, in well under a second', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fst24-wasm-'));
  try {
    const big = path.join(dir, 'big.fst');
    copyFileSync(data('librmn019/mini_gem.fst'), big);
    truncateSync(big, 4 * 1024 ** 3); // sparse tail: the file is 4 GiB, the records stay put
    const { blob, stats } = countingBlob(big);
    const t0 = performance.now();
    const file = await openBlob(blob);
    const ms = performance.now() - t0;
    assert.equal(file.length, referenceRecords(data('librmn019/mini_gem.fst')).length);
    assert.ok(stats.bytes < 64 * 1024, `read ${stats.bytes} bytes`);
    assert.ok(ms < 1000, `took ${ms} ms`);
    const last = file.records()[file.length - 1];
    const [offset, length] = file.directory.dataRange(last.key);
    assert.ok(offset >= last.offset && offset + length <= last.offset + last.length);
    file.close();
    stats.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const rel of ['librmn20/mixed_rsf.fst', 'librmn20/appended_xdf.fst']) {
  test(`ip1/ip2/ip3 of ${rel} read together like librmn 20's ConvertIPtoPK`, async () => {
    const records = (await open(rel)).records();
    const expected = referencePk(data(rel));
    records.forEach((rec, i) => assert.deepEqual(ourPk(rec), expected[i], `record ${i} (${rec.nomvar})`));
  });
}

test('damaged files give Errors, never a WebAssembly trap (panic)', async () => {
  // Deterministic damage: flip bytes of the header, directory and data of real files.
  let seed = 0x2545f491;
  const rand = (n) => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  for (const rel of ['librmn019/mini_gem.fst', 'librmn20/mixed_rsf.fst']) {
    const original = readFileSync(data(rel));
    for (let trial = 0; trial < 60; trial += 1) {
      const bytes = new Uint8Array(original);
      const flips = 1 + rand(8);
      for (let f = 0; f < flips; f += 1) bytes[rand(bytes.length)] = rand(256);
      const cut = trial % 5 === 0 ? rand(bytes.length) : bytes.length;
      const blob = new Blob([bytes.subarray(0, cut)]);
      let file;
      try {
        file = await openBlob(blob);
      } catch (err) {
        assert.ok(!(err instanceof WebAssembly.RuntimeError), `${rel} trial ${trial}: ${err.stack}`);
        continue;
      }
      for (const { key: i } of file.records()) {
        try {
          await file.read(i);
        } catch (err) {
          assert.ok(!(err instanceof WebAssembly.RuntimeError), `${rel} trial ${trial} record ${i}: ${err.stack}`);
        }
      }
      file.close();
    }
  }
});

test('a truncated file gives an error naming the byte offset', async () => {
  const whole = await openAsBlob(data('librmn019/grids.fst'));
  const cut = whole.slice(0, 5000);
  await assert.rejects(openBlob(cut), /offset \d+/);
});

test('a file that is not FST is rejected', async () => {
  const blob = new Blob([new Uint8Array(4096).fill(7)]);
  await assert.rejects(openBlob(blob), /not an RPN standard file/);
});

test('record data of the wrong length is refused, naming record and offset', async () => {
  const file = await open('librmn019/grids.fst');
  const [offset, length] = file.directory.dataRange(0);
  assert.ok(length > 4);
  assert.throws(() => file.directory.decode(0, new Uint8Array(length - 4)),
    new RegExp(`record 0 at byte offset ${offset}`));
  assert.throws(() => file.directory.dataRange(1e6), /not the key of a live record/);
  await assert.rejects(file.read(0, { missing: 'zero' }), /missing must be/);
  file.close();
});

test('a directory of many pages is read in a few reads, as the page-by-page scan reads it', async (t) => {
  const cli = process.env.FST24_CLI;
  assert.ok(cli, 'FST24_CLI must name the fst24 tool (ci.sh builds it)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fst24-wasm-pages-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const big = path.join(dir, 'pages.fst');
  execFileSync(cli, ['cp', ...Array(60).fill(data('librmn20/mixed_xdf.fst')), big], { stdio: 'pipe' });
  const bytes = readFileSync(big);
  // One range at a time, as the chain of pages says.
  const scanner = new FstScanner(bytes.subarray(0, FstScanner.detectLen()), bytes.length);
  let pageReads = 0;
  for (let r; (r = scanner.nextRead()); pageReads += 1) scanner.feed(bytes.subarray(r[0], r[0] + r[1]));
  const plain = scanner.finish();
  // The core's guesses read with each page (a Blob of several slices: one read).
  const file = await openBlob(await openAsBlob(big));
  assert.equal(file.directory.recordsJson(), plain.recordsJson());
  assert.deepEqual(file.warnings(), plain.warnings());
  assert.ok(pageReads >= 10, `${pageReads} reads page by page`);
  assert.ok(file.traffic.requests <= pageReads / 2, `${file.traffic.requests} reads with the guesses, ${pageReads} without`);
  plain.free();
  file.close();
});

test('a URL is listed and decoded through HTTP Range requests, reading only what it needs', async (t) => {
  const server = await serve(path.dirname(data('librmn20/mixed_rsf.fst')));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${server.address().port}`;
  for (const rel of ['librmn20/mixed_rsf.fst', 'librmn20/mixed_xdf.fst']) {
    const url = `${base}/${path.basename(rel)}`;
    const file = await openUrl(url);
    const local = await open(rel);
    assert.deepEqual(file.records(), local.records());
    const listing = file.traffic;
    const size = statSync(data(rel)).size;
    assert.equal(file.size, size);
    assert.ok(listing.bytes < size / 2, `listing read ${listing.bytes} of ${size} bytes`);
    const rec = local.records().find((r) => r.ni > 1 && r.nj > 1);
    assert.deepEqual(await file.read(rec.key), await local.read(rec.key));
    assert.equal(file.traffic.requests, listing.requests + 1, 'one request per record');
    file.close();
    local.close();
  }
  await assert.rejects(openUrl(`${base}/no-such.fst`), /HTTP 404/);
  const noRange = await serve(path.dirname(data('librmn20/mixed_rsf.fst')), 0, { ranges: false });
  t.after(() => noRange.close());
  await assert.rejects(openUrl(`http://127.0.0.1:${noRange.address().port}/mixed_rsf.fst`),
    /does not honour HTTP Range requests/);
});

test('grids are described in words, with latitude and longitude from the core', async () => {
  const file = await open('librmn019/grids.fst');
  const byGrid = new Map(file.records().filter((r) => r.ni > 1 && r.nj > 1).map((r) => [r.grtyp, r]));
  for (const [grtyp, rec] of byGrid) {
    const grid = await file.grid(rec.key);
    assert.match(grid.description, new RegExp(`^${grtyp === '+' ? 'single' : grtyp} `), grid.description);
    if ('ABGLNSEZY'.includes(grtyp)) {
      assert.equal(grid.lat.length, rec.ni * rec.nj, grtyp);
      assert.ok(grid.lat.every((v) => v >= -90 && v <= 90), grtyp);
    }
  }
  file.close();
});

test('latitude and longitude of every geographic grid (Z and Y from their >> and ^^) match ezscint', async () => {
  const file = await open('librmn019/grids.fst');
  const checked = [];
  for (const rec of file.records()) {
    const latFile = data(`librmn019/grids/r${String(rec.key).padStart(4, '0')}_lat.npy`);
    if (!existsSync(latFile)) continue;
    const lat = referenceArray({ file: latFile, format: 'npy' });
    const lon = referenceArray({ file: latFile.replace('_lat.npy', '_lon.npy'), format: 'npy' });
    const grid = await file.grid(rec.key);
    assert.ok(grid.lat, `${rec.nomvar} ${rec.grtyp}: ${grid.note}`);
    assert.equal(grid.lat.length, lat.length);
    let dlat = 0;
    let dlon = 0;
    for (let p = 0; p < lat.length; p += 1) {
      dlat = Math.max(dlat, Math.abs(grid.lat[p] - lat[p]));
      const d = Math.abs(grid.lon[p] - lon[p]) % 360;
      dlon = Math.max(dlon, Math.min(d, 360 - d));
    }
    // ezscint works in single precision (the core's own test: 6e-5 degrees at most).
    assert.ok(dlat <= 6e-5 && dlon <= 6e-5, `${rec.nomvar} ${rec.grtyp}: ${dlat} ${dlon}`);
    checked.push(rec.grtyp);
  }
  assert.ok(checked.includes('Z') && checked.includes('Y'), checked.join(''));
  assert.ok(file.traffic.requests < 40, `${file.traffic.requests} reads`);
  file.close();
});

test("the core's dataset plan, compiled to WASM, over the fetched descriptor records", async () => {
  const file = await open('librmn019/mini_gem.fst');
  const before = file.traffic.requests;
  const plan = await file.plan();
  assert.ok(file.traffic.requests - before <= 4, 'descriptor records fetched in a few reads');
  assert.equal(await file.plan(), plan, 'computed once');
  const byKey = new Map(file.records().map((r) => [r.key, r]));
  const dims = new Map(plan.dims.map((d) => [d.name, d.len]));
  assert.ok(plan.variables.length > 0);
  let stepped = 0;
  for (const v of plan.variables) {
    const outer = Array.from(v.shape).slice(0, v.outer_ndim);
    assert.equal(v.records.length, outer.reduce((a, b) => a * b, 1), v.name);
    v.dims.forEach((d, i) => assert.equal(dims.get(d), v.shape[i], `${v.name} ${d}`));
    for (const key of v.records) {
      if (key < 0) continue;
      assert.equal(byKey.get(key).nomvar, v.name.split('_')[0], v.name);
    }
    if (outer.some((n) => n > 1)) stepped += 1;
  }
  assert.ok(stepped > 0, 'a variable with several levels or times');
  // Axes come with their values (the variable view labels its steps with them).
  const level = plan.coords.find((c) => c.dims.length === 1 && plan.variables.some((v) => v.dims.slice(0, v.outer_ndim).includes(c.dims[0])));
  assert.ok(level && level.values.length === dims.get(level.dims[0]));
  file.close();
});

test('a U (Yin-Yang) grid: latitude and longitude from its ^> record match ezscint', async () => {
  // Written with librmn by tests/fstd2nc_compare/make_yinyang.py; ezscint's gdll beside it.
  const dir = fileURLToPath(new URL('../../tests/fstd2nc_compare/', import.meta.url));
  const file = await openBlob(await openAsBlob(path.join(dir, 'data/yinyang.fst')));
  const want = JSON.parse(readFileSync(path.join(dir, 'expected/yinyang_latlon.json'), 'utf8'));
  const rec = file.records().find((r) => r.grtyp === 'U');
  const grid = await file.grid(rec.key);
  assert.ok(grid.lat, grid.note);
  assert.equal(grid.lat.length, want.lat.length);
  let worst = 0;
  for (let p = 0; p < want.lat.length; p += 1) {
    const d = Math.abs(grid.lon[p] - want.lon[p]) % 360;
    worst = Math.max(worst, Math.abs(grid.lat[p] - want.lat[p]), Math.min(d, 360 - d));
  }
  assert.ok(worst <= 1e-4, `${worst}`); // ezscint's float32 (the core's test: 1e-4)
  file.close();
});
