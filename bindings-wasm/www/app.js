// The inspector page: open a file (disk or URL), list its records in a virtualized,
// sortable, filterable table or grouped by variable, and draw the selected record.
import { openBlob, openUrl, ready } from './fst24.js';
import { compileFilter } from './filter.js';
import { levelText, ip2Text, ip3Text, dateText, unitsOf } from './format.js';
import { drawRecord, drawColourBar } from './draw.js';

/** Table columns: `show` is the cell text, `order` the value it sorts by, `width` in
 *  characters (every cell's text is cut or padded to it: laying out the rows drawn does not
 *  depend on their contents, which keeps a sort or a keystroke cheap). */
const field = (k) => (r) => r[k];
/** Decoded levels sort by kind, then value; undecodable codes after them, by code. */
const levelOrder = (decoded, raw) => (r) => {
  const d = decoded(r);
  return d ? d.kind * 1e12 + d.value : 1e15 + raw(r);
};
const COLUMNS = [
  { key: 'key', label: 'key', width: 7 },
  { key: 'nomvar', label: 'nomvar', width: 8, text: true },
  { key: 'typvar', label: 'typvar', width: 8, text: true },
  { key: 'etiket', label: 'etiket', width: 14, text: true },
  { key: 'ip1', label: 'ip1 (level)', width: 14, show: (r) => levelText(r.level, r.ip1), order: levelOrder((r) => r.level, field('ip1')) },
  { key: 'ip2', label: 'ip2 (time)', width: 12, show: ip2Text, order: levelOrder((r) => r.pk && r.pk.time, field('ip2')) },
  { key: 'ip3', label: 'ip3', width: 8, show: ip3Text },
  { key: 'ni', label: 'ni', width: 6 },
  { key: 'nj', label: 'nj', width: 6 },
  { key: 'nk', label: 'nk', width: 5 },
  { key: 'datev', label: 'valid date', width: 17, show: (r) => dateText(r.datev_iso, r.datev), order: (r) => r.datev_unix ?? r.datev },
  { key: 'dateo', label: 'origin date', width: 17, show: (r) => dateText(r.dateo_iso, r.dateo), order: (r) => r.dateo_unix ?? r.dateo },
  { key: 'deet', label: 'deet', width: 7 },
  { key: 'npas', label: 'npas', width: 7 },
  { key: 'datyp', label: 'datyp', width: 8, show: (r) => r.data_type, order: field('data_type') },
  { key: 'grtyp', label: 'grtyp', width: 8, text: true },
  { key: 'ig1', label: 'ig1', width: 7 },
  { key: 'ig2', label: 'ig2', width: 7 },
  { key: 'ig3', label: 'ig3', width: 7 },
  { key: 'ig4', label: 'ig4', width: 7 },
  { key: 'offset', label: 'offset', width: 11 },
];
for (const c of COLUMNS) {
  c.show ??= (r) => String(r[c.key]);
  c.order ??= field(c.key);
}

// px: 20px cells plus their 1px bottom border (separate borders, style.css); measured once on the
// first rows drawn, and a wrong guess costs a second layout of the first paint.
let rowHeight = 21;
let rowMeasured = false;
const OVERSCAN = 12;
/** Rows drawn beyond the visible ones: none for the page's first paint of a listing
 *  (every new row costs its layout: that paint shows what is visible), OVERSCAN after. */
let overscan = OVERSCAN;
const $ = (id) => document.getElementById(id);
const state = {
  file: null,
  count: 0, // records in the file
  texts: null, // per record: its shown cells, lower case (what words match); built lazily
  order: [], // positions of all records in table order (so a filter needs no sort)
  rows: [], // positions of the records shown, in table order
  sortKey: 'key',
  ascending: true,
  selected: null, // key of the selected record
  mode: 'records',
  variables: [],
  variable: null, // { levels, times, at(levelIndex, timeIndex) }: from the core's dataset plan
  planning: null, // the plan being computed (descriptor records fetched first)
  grid: null, // the selected record's grid (description, lat, lon) from the core
  levelIndex: 0,
  timeIndex: 0,
  k: 1,
  image: null, // what draw.js drew: values under the cursor
  timings: {},
};
/** Every record (built from the core's columns on first use: the first paint of the
 *  default listing needs only the rows in view), and those shown, in table order. */
Object.defineProperty(state, 'records', { get: () => (state.file ? state.file.records() : []) });
Object.defineProperty(state, 'view', { get: () => state.rows.map(recordAt) });
/** The record at position `i` of the file, built on first use. */
const recordAt = (i) => state.file.record(i);
window.fst24Inspector = state; // read by the browser test

function setStatus(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

/** Calls `f` once the next frame has been painted (a task queued from the frame's
 *  animation callback runs after its style, layout and paint). */
function afterPaint(f) {
  requestAnimationFrame(() => setTimeout(f, 0));
}

async function load(open, label) {
  const t0 = performance.now();
  performance.mark('inspector:load');
  document.body.dataset.state = 'loading';
  setStatus(`Reading the directory of ${label}…`);
  try {
    const file = await open();
    state.timings.opened = performance.now() - t0; // the directory read: bytes fetched and scanned
    if (state.file) state.file.close();
    state.file = file;
    state.count = file.length;
    const scanned = performance.now();
    state.texts = null;
    state.variables = null;
    state.planning = null;
    state.grid = null;
    const warnings = file.warnings();
    const { requests, bytes } = file.traffic;
    setStatus(`${file.name}: ${file.backend}, ${state.count} records, ${file.size} bytes; `
      + `directory read in ${(scanned - t0).toFixed(0)} ms (${requests} reads, ${bytes} bytes)`
      + (warnings.length ? `. Warnings: ${warnings.join('; ')}` : ''));
    state.selected = null;
    state.variable = null;
    showView(true);
    renderHead();
    sortOrder();
    overscan = rowPool.length ? OVERSCAN : 0; // no rows yet: draw the visible ones first
    // The page's first rows write the cells in view (later listings reuse rows whose
    // cells all have text: emptying them would cost as much as writing them).
    columnsShown = rowPool.length ? COLUMNS.length : columnsInView();
    applyFilter();
    clearPreview('Select a record to see it.');
    document.body.dataset.state = 'loaded';
    state.timings.rendered = performance.now() - t0; // the listing's DOM is up to date
    performance.mark('inspector:rendered');
    afterPaint(() => {
      const painted = performance.now() - t0;
      performance.mark('inspector:painted');
      overscan = OVERSCAN;
      columnsShown = COLUMNS.length; // the cells out of view, and the rows beyond
      scrolledToTop = false;
      measureRow();
      if (state.file === file) renderRows(); // the rows beyond the visible ones, for scrolling
      performance.mark('inspector:overscan');
      state.timings.file = { ...file.timings };
      state.timings.load = painted;
      setTimeout(texts, 0); // ready before the first word is typed
    });
  } catch (err) {
    showView(Boolean(state.file));
    setStatus(`Cannot read ${label}: ${err.message}`, true);
    document.body.dataset.state = 'error';
  }
}

// ---- the record table ----

/** The table head: built once (at page load), then only its sort marks change. */
function renderHead() {
  const head = $('records').tHead;
  if (!head.rows.length) {
    const tr = document.createElement('tr');
    tr.setAttribute('role', 'row');
    for (const col of COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.setAttribute('role', 'columnheader');
      th.dataset.key = col.key;
      th.style.width = `calc(${col.width}ch + 12px)`;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = col.label;
      button.addEventListener('click', () => sortBy(col.key));
      th.append(button);
      tr.append(th);
    }
    head.append(tr);
  }
  for (const th of head.rows[0].cells) {
    const sorted = th.dataset.key === state.sortKey;
    th.setAttribute('aria-sort', sorted ? (state.ascending ? 'ascending' : 'descending') : 'none');
  }
}

/** The table's width: every column's characters and padding (see `cellText`). */
function setTableWidth() {
  $('records').style.width = `calc(${COLUMNS.reduce((n, c) => n + c.width, 0)}ch + ${12 * COLUMNS.length}px)`;
}

function sortBy(key) {
  state.ascending = state.sortKey === key ? !state.ascending : true;
  state.sortKey = key;
  renderHead();
  sortOrder();
  applyFilter({ keepScroll: true });
}

/** Sorts every record once per sort change (by precomputed keys), not per keystroke. The
 *  file's own order is that of `key` (its directory position): no record is built. */
function sortOrder() {
  const n = state.count;
  if (state.sortKey === 'key') {
    state.order = Array.from({ length: n }, state.ascending ? (_, i) => i : (_, i) => n - 1 - i);
    return;
  }
  const col = COLUMNS.find((c) => c.key === state.sortKey);
  const sign = state.ascending ? 1 : -1;
  const { records } = state;
  const keys = records.map(col.order);
  const tie = records.map((r) => r.key);
  const order = Array.from(records.keys());
  order.sort((a, b) => (keys[a] < keys[b] ? -sign : keys[a] > keys[b] ? sign : tie[a] - tie[b]));
  state.order = order;
}

/** Each record's shown cells, lower case, for words typed in the filter. */
function texts() {
  if (!state.texts) state.texts = state.records.map((r) => COLUMNS.map((c) => c.show(r)).join('\u0001').toLowerCase());
  return state.texts;
}

function applyFilter({ keepScroll = false } = {}) {
  const query = $('filter').value;
  const { test, errors, usesText } = compileFilter(query, (e) => state.file.select(e));
  if (query.trim()) {
    const words = usesText ? texts() : null;
    const { records } = state;
    state.rows = [];
    for (const i of state.order) if (test(records[i], words && words[i])) state.rows.push(i);
  } else {
    state.rows = state.order; // no filter: nothing to build or test
  }
  $('records').setAttribute('aria-rowcount', String(state.rows.length + 1));
  $('count').textContent = `${state.rows.length} of ${state.count} records`
    + (errors.length ? ` (${errors.join('; ')})` : '');
  if (!keepScroll) {
    // Writing scrollTop lays the page out: only when the table was scrolled.
    if (scrolledAway) $('table-wrap').scrollTop = 0;
    scrolledAway = false;
    scrolledToTop = true;
  }
  renderRows();
  renderVariables();
}

/** Table rows are reused from one render to the next: row `i` of the view lives in slot
 *  `i % rowPool.capacity`, so a scroll rewrites only the rows that came into view and a
 *  sort or keystroke rewrites the text of rows whose record changed (text is what costs:
 *  layout shapes every changed cell). */
const rowPool = [];
rowPool.capacity = 128;
/** An empty row, cloned for each pooled row (one clone costs less than 21 cells made). */
let rowTemplate = null;

function poolRow(i, count) {
  if (count > rowPool.capacity) rowPool.capacity = 2 * count;
  const k = i % rowPool.capacity;
  if (!rowPool[k]) {
    if (!rowTemplate) {
      rowTemplate = document.createElement('tr');
      rowTemplate.setAttribute('role', 'row');
      for (const col of COLUMNS) {
        const td = document.createElement('td');
        td.setAttribute('role', 'cell');
        td.dataset.key = col.key;
        td.append(document.createTextNode(''));
        rowTemplate.append(td);
      }
    }
    rowPool[k] = rowTemplate.cloneNode(true);
  }
  return rowPool[k];
}

/** A cell's text at exactly its column's width in characters: the cells are inline boxes
 *  on one line of monospace text (a row is one line to lay out, not 21 table cells:
 *  BENCHMARKS.md), so padding aligns them. A longer text is cut with an ellipsis. */
function cellText(col, text) {
  if (text.length > col.width) return `${text.slice(0, col.width - 1)}\u2026`;
  return col.text ? text.padEnd(col.width) : text.padStart(col.width);
}

/** Draws only the rows in view (plus a margin). Two blocks beside the table, not rows in
 *  it, keep the scroll height right (a row that moves is not laid out again). The first
 *  paint of a file reads no geometry: the rows in view follow from the wrap's CSS height
 *  (a read would lay the page out once more before the rows exist). */
function renderRows() {
  const wrap = $('table-wrap');
  const n = state.rows.length;
  const top = scrolledToTop ? 0 : wrap.scrollTop;
  const height = scrolledToTop ? wrapHeight() : wrap.clientHeight;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(n, Math.ceil((top + height) / rowHeight) + overscan);
  const rows = [];
  for (let i = first; i < last; i += 1) {
    const rec = recordAt(state.rows[i]);
    const tr = poolRow(i, last - first);
    if (tr.record !== rec || tr.columns < columnsShown) {
      const from = tr.record === rec ? tr.columns : 0;
      tr.record = rec;
      tr.columns = columnsShown;
      tr.dataset.key = rec.key;
      const cells = tr.cells;
      for (let c = from; c < COLUMNS.length; c += 1) {
        const col = COLUMNS[c];
        const text = c < columnsShown ? cellText(col, col.show(rec)) : '';
        const node = cells[c].firstChild;
        if (node.data !== text) node.data = text;
      }
    }
    tr.setAttribute('aria-rowindex', String(i + 2));
    tr.className = rec.key === state.selected ? 'selected' : '';
    rows.push(tr);
  }
  $('rows-above').style.height = `${first * rowHeight}px`;
  $('rows-below').style.height = `${(n - last) * rowHeight}px`;
  const body = $('records').tBodies[0];
  const same = body.children.length === rows.length && rows.every((r, i) => body.children[i] === r);
  if (!same) body.replaceChildren(...rows);
}

/** Columns whose cells have their text (the others are empty): all but for the page's
 *  first paint of a listing, which writes those in view only (the table is wider than
 *  its wrap: about half its columns are out of view); the rest follow right after it. */
let columnsShown = COLUMNS.length;

/** The columns in view when the table is scrolled to its left, from the window's width
 *  (no layout read): the wrap has the preview (420px), a gap and the page's margins beside
 *  it on a wide window; a `ch` of 6.5px (12px text), less than a common monospace font's
 *  (0.55–0.6em): a guess errs towards more columns. */
function columnsInView() {
  const wide = !window.matchMedia('(max-width: 760px)').matches;
  const width = window.innerWidth - (wide ? 460 : 0);
  let x = 0;
  for (let c = 0; c < COLUMNS.length; c += 1) {
    x += COLUMNS[c].width * 6.5 + 12; // the text and the cell's 12px of padding
    if (x >= width) return c + 1;
  }
  return COLUMNS.length;
}

/** True while the table is known to be scrolled to its top without asking the layout
 *  (set when a listing resets the scroll, cleared by a scroll, a resize or a paint). */
let scrolledToTop = false;
/** False while the table is known to be at its top (no scroll since it was reset). */
let scrolledAway = false;

/** The table's visible height from its CSS (`.table-wrap`: 70vh, 45vh on narrow
 *  windows), for a first paint that must not force a layout; a guess too large only
 *  draws a few rows more. */
function wrapHeight() {
  return window.innerHeight * (window.matchMedia('(max-width: 760px)').matches ? 0.45 : 0.7);
}

/** Measures the height of a drawn row once the page is laid out (after a paint: no
 *  forced layout); true if it differs from the guess, so that the rows must be placed
 *  again (or far rows drift away). */
function measureRow() {
  if (rowMeasured) return false;
  const drawn = $('records').tBodies[0].rows[0];
  const height = drawn ? drawn.getBoundingClientRect().height : 0;
  if (!(height > 0)) return false;
  rowMeasured = true;
  if (Math.abs(height - rowHeight) < 0.01) return false;
  rowHeight = height;
  return true;
}

/** Arrow keys move the selection through the table; the row is scrolled into view. */
function tableKeys(e) {
  const steps = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20, Home: -Infinity, End: Infinity };
  if (!(e.key in steps) || !state.rows.length) return;
  e.preventDefault();
  const at = state.rows.findIndex((p) => recordAt(p).key === state.selected);
  const i = Math.min(state.rows.length - 1, Math.max(0, (at < 0 ? -1 : at) + steps[e.key]));
  const wrap = $('table-wrap');
  const top = i * rowHeight;
  if (top < wrap.scrollTop + rowHeight) wrap.scrollTop = top - rowHeight;
  else if (top > wrap.scrollTop + wrap.clientHeight - 2 * rowHeight) wrap.scrollTop = top - wrap.clientHeight + 2 * rowHeight;
  select(recordAt(state.rows[i]).key);
}

// ---- variables: records grouped by variable, stepped by level and time ----

/** The variables of the core's dataset plan (fstd2nc's grouping, `fst24::dataset::plan`
 *  compiled to WASM): each steps through its outer dimensions, the time axis (`time`,
 *  `forecast`) with the time stepper and the last other one (the level) with the level
 *  stepper; any further axis (an ensemble) stays at its first member. */
async function buildVariables() {
  const plan = await state.file.plan();
  const note = $('plan-note');
  note.textContent = `${plan.variables.length} variables (fstd2nc's grouping: the core's dataset plan)`
    + (plan.warnings.length ? `, ${plan.warnings.length} warnings` : '');
  note.title = plan.warnings.slice(0, 50).join('\n');
  const byKey = new Map(state.records.map((r) => [r.key, r]));
  const axes = new Map(plan.coords.filter((c) => c.dims.length === 1 && c.values).map((c) => [c.dims[0], c]));
  return plan.variables.map((v) => {
    const outer = v.dims.slice(0, v.outer_ndim);
    const shape = Array.from(v.shape).slice(0, v.outer_ndim);
    const timeAxis = outer.findIndex((d) => /^(time|forecast)/.test(d));
    let levelAxis = -1;
    for (let a = outer.length - 1; a >= 0; a -= 1) if (a !== timeAxis) { levelAxis = a; break; }
    const keys = Array.from(v.records);
    /** The record at (level, time), or null for a hole. */
    const at = (l, t) => {
      let index = 0;
      for (let a = 0; a < outer.length; a += 1) {
        const i = a === levelAxis ? l : a === timeAxis ? t : 0;
        index = index * shape[a] + i;
      }
      return byKey.get(keys[index]) || null;
    };
    /** Step labels: from a record at that step, else the axis value and its units. */
    const labels = (axis, text) => Array.from({ length: axis < 0 ? 1 : shape[axis] }, (_, i) => {
      for (let j = 0; j < keys.length; j += 1) {
        const rec = byKey.get(keys[j]);
        if (rec && (axis < 0 || stepOf(j, axis) === i)) return text(rec);
      }
      const c = axes.get(outer[axis]);
      return c ? `${+c.values[i].toPrecision(7)} ${c.units || ''}`.trim() : String(i + 1);
    });
    const stepOf = (index, axis) => {
      let rest = index;
      for (let a = outer.length - 1; a > axis; a -= 1) rest = Math.floor(rest / shape[a]);
      return rest % shape[axis];
    };
    const records = keys.filter((k) => k >= 0).map((k) => byKey.get(k));
    const first = records[0];
    return {
      id: v.name,
      title: [v.long_name, v.units].filter(Boolean).join(', '),
      dims: v.dims,
      first,
      records,
      levels: labels(levelAxis, (r) => levelText(r.level, r.ip1)),
      times: labels(timeAxis, (r) => dateText(r.datev_iso, r.datev)),
      at,
    };
  });
}

function renderVariables() {
  if (state.mode !== 'variables') return;
  if (!state.variables) {
    const file = state.file;
    if (!state.planning) {
      $('variables').setAttribute('aria-busy', 'true');
      state.planning = buildVariables().then((variables) => {
        if (state.file !== file) return;
        state.variables = variables;
        $('variables').removeAttribute('aria-busy');
        renderVariables();
      }, (err) => {
        if (state.file === file) setStatus(`Cannot group the records into variables: ${err.message}`, true);
      });
    }
    return;
  }
  const shown = new Set(state.view.map((r) => r.key));
  const body = document.createDocumentFragment();
  state.variables.forEach((v, i) => {
    if (!v.records.some((r) => shown.has(r.key))) return;
    const tr = document.createElement('tr');
    tr.dataset.variable = i;
    if (v === state.variable) tr.className = 'selected';
    const name = document.createElement('td');
    name.className = 'text';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = v.id;
    if (v.title) button.title = v.title;
    button.addEventListener('click', () => chooseVariable(v));
    name.append(button);
    tr.append(name);
    for (const text of [v.levels.length, v.times.length, `${v.first.grtyp} ${v.first.ni}×${v.first.nj} (${v.dims.join(', ')})`, v.records.length]) {
      const td = document.createElement('td');
      td.textContent = String(text);
      tr.append(td);
    }
    body.append(tr);
  });
  $('variables').tBodies[0].replaceChildren(body);
}

function chooseVariable(v) {
  state.variable = v;
  state.levelIndex = 0;
  state.timeIndex = 0;
  renderVariables();
  showVariableStep();
}

function showVariableStep() {
  const v = state.variable;
  $('level-step').hidden = v.levels.length < 2;
  $('time-step').hidden = v.times.length < 2;
  $('level-text').textContent = `level ${v.levels[state.levelIndex]} (${state.levelIndex + 1}/${v.levels.length})`;
  $('time-text').textContent = `${v.times[state.timeIndex]} (${state.timeIndex + 1}/${v.times.length})`;
  const rec = v.at(state.levelIndex, state.timeIndex);
  if (rec) select(rec.key, { keepSteppers: true });
  else clearPreview(`${v.id} has no record at this level and time.`);
}

function step(which, by) {
  const v = state.variable;
  if (!v) return;
  if (which === 'level') state.levelIndex = (state.levelIndex + by + v.levels.length) % v.levels.length;
  else state.timeIndex = (state.timeIndex + by + v.times.length) % v.times.length;
  showVariableStep();
}

function setMode(mode) {
  state.mode = mode;
  $('show-records').setAttribute('aria-pressed', String(mode === 'records'));
  $('show-variables').setAttribute('aria-pressed', String(mode === 'variables'));
  $('table-wrap').hidden = mode !== 'records';
  $('variables-wrap').hidden = mode !== 'variables';
  if (mode === 'records') {
    $('level-step').hidden = true;
    $('time-step').hidden = true;
    renderRows();
  } else {
    renderVariables();
  }
}

// ---- the selected record ----

function clearPreview(caption) {
  const canvas = $('image');
  canvas.width = 1;
  canvas.height = 1;
  canvas.setAttribute('aria-label', caption);
  $('legend').hidden = true;
  $('k-step').hidden = true;
  $('cursor').textContent = '';
  $('table-view').replaceChildren();
  $('caption').textContent = caption;
  $('grid-words').textContent = '';
  $('details').replaceChildren();
  state.image = null;
}

/** Every key of the record, decoded where it helps (ip2 a time, dates in words). */
function showDetails(rec) {
  const rows = [
    ['key', rec.key], ['nomvar', rec.nomvar], ['typvar', rec.typvar], ['etiket', rec.etiket],
    ['ip1', `${rec.ip1} → ${levelText(rec.level, rec.ip1)}`],
    ['ip2', `${rec.ip2} → ${ip2Text(rec)} (a time)`],
    ['ip3', `${rec.ip3} → ${ip3Text(rec)}`],
    ['datev', `${rec.datev} → ${dateText(rec.datev_iso, rec.datev)}`],
    ['dateo', `${rec.dateo} → ${dateText(rec.dateo_iso, rec.dateo)}`],
    ['deet, npas', `${rec.deet} s, ${rec.npas}`],
    ['ni × nj × nk', `${rec.ni} × ${rec.nj} × ${rec.nk}`],
    ['grid', `${rec.grtyp} ${rec.ig1} ${rec.ig2} ${rec.ig3} ${rec.ig4}`],
    ['packing', `${rec.data_type} (datyp ${rec.datyp}, nbits ${rec.nbits}) → ${rec.element_type ?? 'not decodable'}`],
    ['stored', `${rec.length} bytes at byte offset ${rec.offset} (${rec.backend})`],
  ];
  if (rec.metadata) {
    let pretty = rec.metadata;
    try { pretty = JSON.stringify(JSON.parse(rec.metadata), null, 1); } catch { /* keep as stored */ }
    rows.push(['metadata', pretty]);
  }
  const out = document.createDocumentFragment();
  for (const [name, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    out.append(dt, dd);
  }
  $('details').replaceChildren(out);
}

async function select(key, { keepSteppers = false } = {}) {
  state.selected = key;
  for (const tr of $('records').tBodies[0].rows) tr.classList.toggle('selected', Number(tr.dataset.key) === key);
  if (!keepSteppers && state.mode === 'records') {
    $('level-step').hidden = true;
    $('time-step').hidden = true;
  }
  const rec = state.records.find((r) => r.key === key);
  const name = `${rec.nomvar} (key ${key})`;
  clearPreview(`Reading ${name}…`);
  showDetails(rec);
  document.body.dataset.state = 'decoding';
  try {
    const [array, grid] = await Promise.all([
      state.file.read(key, { missing: rec.missing ? 'nan' : 'plug' }),
      state.file.grid(key).catch((err) => ({ description: `grid: ${err.message}`, lat: null, note: err.message })),
    ]);
    if (state.selected !== key) return; // another record was chosen meanwhile
    state.grid = grid;
    $('grid-words').textContent = grid.description + (grid.lat || rec.grtyp === 'X' ? '' : ` (no latitude/longitude: ${grid.note})`);
    if (rec.nomvar === '!!' || rec.ni < 2 || rec.nj < 2 || array.dtype === 'char') {
      showAsTable(rec, array, name);
      return;
    }
    state.k = Math.min(state.k, rec.nk);
    $('k-step').hidden = rec.nk < 2;
    $('nk').textContent = String(rec.nk);
    $('k').max = String(rec.nk);
    $('k').value = String(state.k);
    state.array = array;
    paint(rec, name);
  } catch (err) {
    $('caption').textContent = `Cannot decode ${name}: ${err.message}`;
    document.body.dataset.state = 'image-error';
  }
}

/** Draws plane `state.k` of the selected record, with its colour bar and caption. */
function paint(rec, name) {
  const { grid } = state;
  const drawn = drawRecord($('image'), state.array, rec, state.k - 1);
  if (!drawn) {
    clearPreview(`${name}: ${state.array.dtype} values cannot be shown as an image.`);
    showDetails(rec);
    document.body.dataset.state = 'no-image';
    return;
  }
  state.image = { ...drawn, rec, grid };
  const units = unitsOf(rec.nomvar);
  const fmt = (v) => String(+v.toPrecision(6));
  $('legend').hidden = false;
  drawColourBar($('colourbar'));
  $('scale-min').textContent = fmt(drawn.min);
  $('scale-max').textContent = fmt(drawn.max);
  $('scale-units').textContent = units ? `${units} (usual units of ${rec.nomvar})` : 'units not stored in the file';
  $('missing-key').hidden = drawn.missing === 0;
  $('colourbar').setAttribute('aria-label', `Colour bar from ${fmt(drawn.min)} to ${fmt(drawn.max)}${units ? ` ${units}` : ''}`);
  const level = rec.nk > 1 ? `, level k ${state.k} of ${rec.nk}` : '';
  const text = `${name} at ${levelText(rec.level, rec.ip1)}, ${ip2Text(rec)}, valid ${dateText(rec.datev_iso, rec.datev)}: `
    + `${rec.ni}×${rec.nj}${level}, ${state.array.dtype}, min ${fmt(drawn.min)}, max ${fmt(drawn.max)}`
    + `${units ? ` ${units}` : ''}${drawn.missing ? `, ${drawn.missing} missing points (transparent)` : ''}`;
  $('caption').textContent = text;
  $('image').setAttribute('aria-label', `Colour image of ${text}`);
  document.body.dataset.state = 'image';
}

/** `!!` tables, 1-D records and characters: shown as text, not as an image. */
function showAsTable(rec, array, name) {
  const box = $('table-view');
  if (array.dtype === 'char') {
    const pre = document.createElement('pre');
    pre.textContent = new TextDecoder('latin1').decode(array.data);
    box.replaceChildren(pre);
  } else {
    const table = document.createElement('table');
    const cap = document.createElement('caption');
    cap.textContent = `${name}: ${rec.nj} rows × ${rec.ni} columns${rec.nj > 200 ? ' (first 200 rows)' : ''}`;
    table.append(cap);
    const rows = Math.min(rec.nj * rec.nk, 200);
    for (let j = 0; j < rows; j += 1) {
      const tr = document.createElement('tr');
      for (let i = 0; i < Math.min(rec.ni, 50); i += 1) {
        const td = document.createElement('td');
        const v = array.data[j * rec.ni + i];
        td.textContent = typeof v === 'number' ? String(+v.toPrecision(7)) : String(v);
        tr.append(td);
      }
      table.append(tr);
    }
    box.replaceChildren(table);
  }
  $('caption').textContent = `${name}: ${rec.ni}×${rec.nj}×${rec.nk} ${array.dtype}, shown as a table.`;
  $('image').setAttribute('aria-label', `${name} is shown as a table below`);
  document.body.dataset.state = 'table';
}

/** The value, grid indices and latitude/longitude under the pointer. */
function showCursor(e) {
  const img = state.image;
  if (!img) return;
  const canvas = $('image');
  const box = canvas.getBoundingClientRect();
  const i = Math.floor(((e.clientX - box.left) / box.width) * img.ni);
  const row = Math.floor(((e.clientY - box.top) / box.height) * img.nj);
  if (i < 0 || i >= img.ni || row < 0 || row >= img.nj) return;
  const j = img.nj - 1 - row; // north (last row) up
  const v = img.values[j * img.ni + i];
  const units = unitsOf(img.rec.nomvar) || '';
  let text = `i ${i + 1}, j ${j + 1}: ${Number.isNaN(v) ? 'missing' : `${+v.toPrecision(6)} ${units}`.trim()}`;
  if (img.grid && img.grid.lat) {
    const p = j * img.ni + i;
    text += `, lat ${img.grid.lat[p].toFixed(3)}°, lon ${img.grid.lon[p].toFixed(3)}°`;
  }
  $('cursor').textContent = text;
}

/** Shows or hides the file's view. Hidden, it is still styled and laid out, out of sight
 *  and of assistive technology (style.css `.unseen`): the page does that at load, so the
 *  first file's listing does not pay for styling the table head, the tools and the
 *  preview (~2 ms of its first paint: BENCHMARKS.md). */
function showView(shown) {
  $('view').classList.toggle('unseen', !shown);
}

function start() {
  if (location.protocol === 'file:') return; // index.html says why
  // Compile the WebAssembly module now (streamed), not when the first file is chosen.
  const t0 = performance.now();
  ready().then(() => { state.timings.wasm = performance.now() - t0; }, () => {});
  setTableWidth();
  renderHead();
  showView(false);
  $('view').hidden = false; // index.html hides it for a page without this script
  const input = $('file');
  input.addEventListener('change', () => {
    if (input.files.length) load(() => openBlob(input.files[0]), input.files[0].name);
  });
  const drop = $('drop');
  drop.addEventListener('click', () => input.click());
  drop.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      input.click();
    }
  });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer.files[0];
    if (file) load(() => openBlob(file), file.name);
  });
  $('url-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const url = $('url').value.trim();
    if (url) load(() => openUrl(url), url);
  });
  $('filter').addEventListener('input', applyFilter);
  const wrap = $('table-wrap');
  let pending = false;
  wrap.addEventListener('scroll', () => {
    scrolledToTop = false;
    scrolledAway = true;
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; renderRows(); });
  });
  wrap.addEventListener('keydown', tableKeys);
  $('records').tBodies[0].addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-key]');
    if (tr) select(Number(tr.dataset.key));
  });
  $('show-records').addEventListener('click', () => setMode('records'));
  $('show-variables').addEventListener('click', () => setMode('variables'));
  $('level-prev').addEventListener('click', () => step('level', -1));
  $('level-next').addEventListener('click', () => step('level', 1));
  $('time-prev').addEventListener('click', () => step('time', -1));
  $('time-next').addEventListener('click', () => step('time', 1));
  $('k').addEventListener('change', () => {
    const rec = state.records.find((r) => r.key === state.selected);
    const k = Math.round(Number($('k').value));
    if (!rec || !state.array || !(k >= 1 && k <= rec.nk)) return;
    state.k = k;
    paint(rec, `${rec.nomvar} (key ${rec.key})`);
  });
  $('image').addEventListener('mousemove', showCursor);
  window.addEventListener('resize', () => {
    scrolledToTop = false;
    if (state.file) renderRows();
  });
  const params = new URLSearchParams(location.search);
  if (params.get('url')) {
    $('url').value = params.get('url');
    load(() => openUrl(params.get('url')), params.get('url'));
  }
  document.body.dataset.state = 'ready';
}

start();
