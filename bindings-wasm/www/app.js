// The inspector page: drop a file, list its records in a sortable, filterable table, and
// draw the selected 2-D record as a colour image.
import { openBlob } from './fst24.js';
import { colour } from './colormap.js';

const COLUMNS = [
  { key: 'position', label: '#' },
  { key: 'nomvar', label: 'nomvar', text: true },
  { key: 'typvar', label: 'typvar', text: true },
  { key: 'etiket', label: 'etiket', text: true },
  { key: 'ip1', label: 'ip1', show: (r) => levelText(r.level, r.ip1) },
  { key: 'ip2', label: 'ip2', show: (r) => levelText(r.pk && r.pk.time, r.ip2) },
  { key: 'ip3', label: 'ip3', show: (r) => ip3Text(r) },
  { key: 'ni', label: 'ni' },
  { key: 'nj', label: 'nj' },
  { key: 'nk', label: 'nk' },
  { key: 'datev', label: 'valid date', show: (r) => r.datevIso || String(r.datev) },
  { key: 'dateo', label: 'origin date', show: (r) => r.dateoIso || String(r.dateo) },
  { key: 'deet', label: 'deet' },
  { key: 'npas', label: 'npas' },
  { key: 'datyp', label: 'datyp', show: (r) => r.dataType },
  { key: 'nbits', label: 'nbits' },
  { key: 'grtyp', label: 'grtyp', text: true },
  { key: 'ig1', label: 'ig1' },
  { key: 'ig2', label: 'ig2' },
  { key: 'ig3', label: 'ig3' },
  { key: 'ig4', label: 'ig4' },
  { key: 'offset', label: 'offset' },
];

const $ = (id) => document.getElementById(id);
const state = { file: null, records: [], sortKey: 'position', ascending: true, selected: -1 };

/** "850 mb" from a decoded level, else the raw code. */
function levelText(decoded, raw) {
  if (!decoded || decoded.value === undefined) return String(raw);
  const unit = decoded.unit || '';
  return `${+decoded.value.toPrecision(7)} ${unit}`.trim();
}

/** ip3 as ConvertIPtoPK reads it, except an old-style (arbitrary, unnumbered) code. */
function ip3Text(r) {
  const third = r.pk && r.pk.third;
  return third && !(third.kind === 3 && r.ip3 <= 32767) ? levelText(third, r.ip3) : String(r.ip3);
}

function setStatus(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

async function load(file) {
  document.body.dataset.state = 'loading';
  setStatus(`Reading the directory of ${file.name}…`);
  try {
    if (state.file) state.file.close();
    const t0 = performance.now();
    state.file = await openBlob(file);
    state.records = state.file.records();
    const ms = (performance.now() - t0).toFixed(1);
    const warnings = state.file.warnings();
    setStatus(`${file.name}: ${state.file.backend}, ${state.records.length} records, `
      + `${file.size} bytes, directory read in ${ms} ms`
      + (warnings.length ? `. Warnings: ${warnings.join('; ')}` : ''));
    state.selected = -1;
    $('view').hidden = false;
    renderHead();
    renderBody();
    clearImage('Select a 2-D record to see it.');
    $('details').textContent = '';
    document.body.dataset.state = 'loaded';
  } catch (err) {
    state.file = null;
    $('view').hidden = true;
    setStatus(`Cannot read ${file.name}: ${err.message}`, true);
    document.body.dataset.state = 'error';
  }
}

function renderHead() {
  const tr = document.createElement('tr');
  for (const col of COLUMNS) {
    const th = document.createElement('th');
    th.textContent = col.label;
    th.dataset.key = col.key;
    if (col.key === state.sortKey) th.className = state.ascending ? 'asc' : 'desc';
    th.addEventListener('click', () => {
      state.ascending = state.sortKey === col.key ? !state.ascending : true;
      state.sortKey = col.key;
      renderHead();
      renderBody();
    });
    tr.append(th);
  }
  $('records').tHead.replaceChildren(tr);
}

/** Filter tokens: `key=value` compares one column (trimmed, case-insensitive); anything
 *  else must appear somewhere in the row's text. */
function matcher(query) {
  const tokens = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return (rec, rowText) => tokens.every((tok) => {
    const eq = tok.indexOf('=');
    if (eq > 0) {
      const key = tok.slice(0, eq);
      const want = tok.slice(eq + 1);
      const col = COLUMNS.find((c) => c.key.toLowerCase() === key || c.label.toLowerCase() === key);
      if (!col) return false;
      const raw = String(rec[col.key]).trim().toLowerCase();
      const shown = (col.show ? col.show(rec) : raw).trim().toLowerCase();
      return raw === want || shown === want || shown.split(' ')[0] === want;
    }
    return rowText.includes(tok);
  });
}

function compare(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function renderBody() {
  const key = state.sortKey;
  const sign = state.ascending ? 1 : -1;
  const rows = [...state.records].sort((a, b) => sign * compare(a[key], b[key]) || a.position - b.position);
  const keep = matcher($('filter').value);
  const body = document.createDocumentFragment();
  let shown = 0;
  for (const rec of rows) {
    const cells = COLUMNS.map((col) => (col.show ? col.show(rec) : String(rec[col.key]).trimEnd()));
    if (!keep(rec, cells.join(' ').toLowerCase())) continue;
    const tr = document.createElement('tr');
    tr.dataset.position = rec.position;
    if (rec.position === state.selected) tr.className = 'selected';
    COLUMNS.forEach((col, i) => {
      const td = document.createElement('td');
      td.textContent = cells[i];
      td.dataset.key = col.key;
      td.dataset.value = String(rec[col.key]);
      if (col.text) td.className = 'text';
      tr.append(td);
    });
    tr.addEventListener('click', () => select(rec.position));
    body.append(tr);
    shown += 1;
  }
  $('records').tBodies[0].replaceChildren(body);
  $('count').textContent = `${shown} of ${state.records.length} records`;
}

/** Every key of the selected record, extended metadata (RSF) pretty-printed. */
function showDetails(rec) {
  const { metadata, ...keys } = rec;
  let text = JSON.stringify(keys, null, 1);
  if (metadata) {
    let pretty = metadata;
    try { pretty = JSON.stringify(JSON.parse(metadata), null, 1); } catch { /* keep as stored */ }
    text += `\nextended metadata:\n${pretty}`;
  }
  $('details').textContent = text;
}

function clearImage(caption) {
  const canvas = $('image');
  canvas.width = 1;
  canvas.height = 1;
  $('caption').textContent = caption;
}

async function select(position) {
  state.selected = position;
  for (const tr of $('records').tBodies[0].rows) {
    tr.classList.toggle('selected', Number(tr.dataset.position) === position);
  }
  const rec = state.records[position];
  const name = `${rec.nomvar.trim()} (record ${position})`;
  showDetails(rec);
  if (rec.ni < 2 || rec.nj < 2) {
    clearImage(`${name} is ${rec.ni}×${rec.nj}×${rec.nk}: not a 2-D field.`);
    document.body.dataset.state = 'no-image';
    return;
  }
  document.body.dataset.state = 'decoding';
  try {
    const array = await state.file.read(position);
    if (state.selected !== position) return; // another row was clicked meanwhile
    const range = draw(array, rec.ni, rec.nj);
    if (!range) {
      clearImage(`${name}: ${array.dtype} values cannot be shown as an image.`);
      document.body.dataset.state = 'no-image';
      return;
    }
    $('caption').textContent = `${name}: ${rec.ni}×${rec.nj}`
      + (rec.nk > 1 ? ` (level 1 of ${rec.nk})` : '')
      + `, ${array.dtype}, min ${+range[0].toPrecision(6)}, max ${+range[1].toPrecision(6)}`;
    document.body.dataset.state = 'image';
  } catch (err) {
    clearImage(`Cannot decode ${name}: ${err.message}`);
    document.body.dataset.state = 'image-error';
  }
}

/** Draws the first `ni×nj` plane, north (last row) up; returns [min, max] or null. */
function draw(array, ni, nj) {
  if (array.dtype === 'c64' || array.dtype === 'c128' || array.dtype === 'char' || array.dtype === 'word') {
    return null;
  }
  const n = ni * nj;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i += 1) values[i] = Number(array.data[i]);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v) && Math.abs(v) < 1e37) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return null;
  const canvas = $('image');
  canvas.width = ni;
  canvas.height = nj;
  canvas.style.height = `${Math.round((420 * nj) / ni)}px`;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(ni, nj);
  const span = hi > lo ? hi - lo : 1;
  for (let j = 0; j < nj; j += 1) {
    for (let i = 0; i < ni; i += 1) {
      const v = values[j * ni + i];
      const p = ((nj - 1 - j) * ni + i) * 4;
      const ok = Number.isFinite(v) && Math.abs(v) < 1e37;
      const [r, g, b] = ok ? colour((v - lo) / span) : [255, 255, 255];
      image.data[p] = r;
      image.data[p + 1] = g;
      image.data[p + 2] = b;
      image.data[p + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  return [lo, hi];
}

function start() {
  $('file').addEventListener('change', (e) => {
    if (e.target.files.length) load(e.target.files[0]);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files.length) load(e.dataTransfer.files[0]);
  });
  $('filter').addEventListener('input', renderBody);
  document.body.dataset.state = 'ready';
}

start();
