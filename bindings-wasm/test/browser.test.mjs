// The inspector page in headless Debian Chromium (playwright-core, no browser download):
// drop a reference file, compare the table with librmn's JSON, sort, filter, and check the
// colour image of a 2-D record is drawn. Run: node --test bindings-wasm/test/browser.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { serve } from './static-server.mjs';
import { data, referenceRecords, withoutArray } from './reference.mjs';

const WWW = fileURLToPath(new URL('../www/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Opens the page with `rel` loaded; returns { page, errors }. */
async function loadPage(t, rel) {
  const server = await serve(WWW);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  t.after(async () => {
    await browser.close();
    server.close();
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
  await page.waitForSelector('body[data-state="ready"]');
  await page.setInputFiles('#file', data(rel));
  await page.waitForSelector('body[data-state="loaded"], body[data-state="error"]');
  return { page, errors };
}

/** Raw values of every row, keyed by column, in table order. */
function tableRows(page) {
  return page.$$eval('#records tbody tr', (rows) => rows.map((tr) => {
    const out = {};
    for (const td of tr.cells) out[td.dataset.key] = td.dataset.value;
    return out;
  }));
}

/** A reference record as the table's raw strings (only the columns the table shows). */
function asRow(ref, columns) {
  const out = {};
  for (const k of columns) if (k in ref) out[k] = String(ref[k]);
  return out;
}

// File, and the nomvar of the 2-D record whose image is checked (R16 in XDF, E32 in RSF).
const CASES = [['librmn019/grids.fst', 'ME  '], ['librmn20/mixed_rsf.fst', 'VV  ']];

for (const [rel, imageName] of CASES) {
  test(`page lists ${rel} like librmn and draws a 2-D record`, async (t) => {
    const { page, errors } = await loadPage(t, rel);
    const status = await page.textContent('#status');
    assert.equal(await page.getAttribute('body', 'data-state'), 'loaded', status);

    const expected = referenceRecords(data(rel)).map(withoutArray);
    const rows = await tableRows(page);
    assert.equal(rows.length, expected.length);
    const columns = Object.keys(rows[0]);
    rows.forEach((row, i) => {
      const want = asRow(expected[i], columns);
      const got = Object.fromEntries(Object.keys(want).map((k) => [k, row[k]]));
      assert.deepEqual(got, want, `row ${i}`);
    });

    // Sorting by nomvar, descending after a second click.
    await page.click('th[data-key="nomvar"]');
    await page.click('th[data-key="nomvar"]');
    const sorted = (await tableRows(page)).map((r) => r.nomvar);
    const want = expected.map((r) => r.nomvar).sort((a, b) => b.localeCompare(a));
    assert.deepEqual(sorted, want);

    // Filtering on one key.
    const name = expected.find((r) => r.ni > 1 && r.nj > 1).nomvar.trim();
    await page.fill('#filter', `nomvar=${name}`);
    const filtered = await tableRows(page);
    assert.equal(filtered.length, expected.filter((r) => r.nomvar.trim() === name).length);
    assert.ok(filtered.every((r) => r.nomvar.trim() === name));
    await page.fill('#filter', '');

    // The image of the first 2-D record.
    const pos = expected.findIndex((r) => r.nomvar === imageName);
    assert.ok(expected[pos].ni > 1 && expected[pos].nj > 1);
    await page.click(`#records tbody tr[data-position="${pos}"]`);
    await page.waitForSelector('body[data-state="image"], body[data-state="image-error"], body[data-state="no-image"]');
    const caption = await page.textContent('#caption');
    assert.equal(await page.getAttribute('body', 'data-state'), 'image', caption);
    const pixels = await page.$eval('#image', (c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      for (let i = 0; i < d.length; i += 4) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return { width: c.width, height: c.height, colours: colours.size };
    });
    assert.deepEqual([pixels.width, pixels.height], [expected[pos].ni, expected[pos].nj]);
    assert.ok(pixels.colours > 8, `canvas looks blank: ${pixels.colours} colours`);
    assert.deepEqual(errors, []);
  });
}

test('page reports a file that is not FST', async (t) => {
  const { page } = await loadPage(t, 'librmn019/README.md');
  assert.equal(await page.getAttribute('body', 'data-state'), 'error');
  assert.match(await page.textContent('#status'), /not an RPN standard file/);
});
