// The record filter. `key=values` and `key!=values` clauses are the core's selection
// language (`fst24::select`, the CLI's and Python's: `nomvar=TT,UU etiket=G1* ip1=850mb
// ip2=6h datev=2025-01-02..2025-01-03 ni=100:200`), run by the WASM module; a bare number
// for ip1..ip3 (`ip1=850`, `ip1=0.331`) matches the raw code or the decoded value of any
// kind; other words match any shown column (dates are shown without the ISO `T`);
// `key<v`/`key>v` compare, and `key=` also works for the fields the core language lacks
// (`key`, `data_type`, `offset`, ...).

/** Keys the core's selection language knows (fst24::select::Key, with its aliases). */
const CORE_KEYS = new Set(['nomvar', 'typvar', 'etiket', 'grtyp', 'ip1', 'level', 'ip2', 'ip3',
  'datev', 'date', 'dateo', 'lead', 'fhour', 'forecast_hour', 'ni', 'nj', 'nk', 'ig1', 'ig2',
  'ig3', 'ig4', 'deet', 'npas', 'datyp', 'nbits']);

const NAMES = new Set(['nomvar', 'typvar', 'etiket', 'grtyp', 'data_type', 'element_type', 'backend']);
const LEVELS = { level: (r) => r.level, ip1: (r) => r.level, ip2: (r) => (r.pk ? r.pk.time : r.ip2_decoded), ip3: (r) => r.ip3_decoded };
const DATES = { datev: 'datev_iso', dateo: 'dateo_iso' };
const NUMBERS = new Set(['key', 'ni', 'nj', 'nk', 'deet', 'npas', 'ig1', 'ig2', 'ig3', 'ig4',
  'datyp', 'nbits', 'data_bits', 'offset', 'length', 'ip1', 'ip2', 'ip3', 'datev', 'dateo']);

/** A case-insensitive whole-string matcher for a `*`/`?` pattern. */
function glob(pattern) {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const re = new RegExp(`^${source}$`, 'i');
  return (text) => re.test(text);
}

/** Same single-precision value (levels are decoded in single precision, as librmn does). */
function sameValue(a, b) {
  return Math.fround(a) === Math.fround(b) || Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}

/** A predicate for one `key op value` token, or an error message. */
function term(key, op, value) {
  if (NAMES.has(key)) {
    if (op !== '=') return { error: `${key} takes = only` };
    const match = glob(value);
    return { test: (r) => match(String(r[key] ?? '')) };
  }
  if (key in DATES) {
    const field = DATES[key];
    if (op === '=' && !/^-?\d+$/.test(value)) {
      const prefix = value.toUpperCase().replace(' ', 'T');
      if (/[*?]/.test(prefix)) {
        const match = glob(prefix);
        return { test: (r) => r[field] !== null && match(r[field]) };
      }
      return { test: (r) => r[field] !== null && r[field].startsWith(prefix) };
    }
    if (op !== '=' && !/^-?\d+$/.test(value)) {
      const when = Date.parse(/Z$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
      if (Number.isNaN(when)) return { error: `${value} is not a date` };
      const unix = when / 1000;
      const unixField = `${key}_unix`;
      return { test: (r) => r[unixField] !== null && (op === '<' ? r[unixField] < unix : r[unixField] > unix) };
    }
  }
  if (key in LEVELS) {
    const m = /^(-?[\d.]+(?:e-?\d+)?)\s*([a-z]*)$/i.exec(value);
    if (!m) return { error: `${key}=${value}: expected a number, optionally with a unit` };
    const want = Number(m[1]);
    const unit = m[2].toLowerCase();
    const decoded = LEVELS[key];
    if (op === '=') {
      return {
        test: (r) => {
          const d = decoded(r);
          if (!unit && Number.isInteger(want) && r[key] === want) return true; // the raw code
          return !!d && sameValue(d.value, want) && (!unit || d.unit.toLowerCase() === unit);
        },
      };
    }
    return {
      test: (r) => {
        const d = decoded(r);
        return !!d && (!unit || d.unit.toLowerCase() === unit) && (op === '<' ? d.value < want : d.value > want);
      },
    };
  }
  if (NUMBERS.has(key)) {
    const want = Number(value);
    if (!Number.isFinite(want)) return { error: `${key}${op}${value}: expected a number` };
    if (op === '=') return { test: (r) => r[key] === want };
    return { test: (r) => (op === '<' ? r[key] < want : r[key] > want) };
  }
  return { error: `unknown key ${key}` };
}

/**
 * Compiles `query` into `{ test(record, text), errors, usesText }`: `text` is the record's
 * shown columns, lower case (so a word never matches the `T` of an ISO date, which is not
 * shown), needed only when `usesText`.
 * `select(expression)` runs the core's selection language and returns the selected keys
 * (it throws on a bad expression).
 */
export function compileFilter(query, select) {
  const tests = [];
  const errors = [];
  const core = [];
  let usesText = false;
  for (const token of query.trim().split(/\s+/).filter(Boolean)) {
    const clause = /^([a-z_0-9]+)!?=(.*)$/i.exec(token);
    if (clause && select && CORE_KEYS.has(clause[1].toLowerCase())
      && !(/^ip[123]$|^level$/i.test(clause[1]) && /^-?[\d.]+$/.test(clause[2]))) {
      core.push(token);
      continue;
    }
    const m = /^([a-z_0-9]+)(=|<|>)(.+)$/i.exec(token);
    if (m) {
      const t = term(m[1].toLowerCase(), m[2], m[3]);
      if (t.error) {
        errors.push(t.error);
        tests.push(() => false);
      } else {
        tests.push((r) => t.test(r));
      }
    } else {
      const word = token.toLowerCase();
      usesText = true;
      if (/[*?]/.test(word)) {
        const match = glob(`*${word}*`);
        tests.push((r, text) => match(text));
      } else {
        tests.push((r, text) => text.includes(word));
      }
    }
  }
  if (core.length) {
    try {
      const keys = new Set(select(core.join(' ')));
      tests.push((r) => keys.has(r.key));
    } catch (err) {
      errors.push(err.message);
      tests.push(() => false);
    }
  }
  return { test: (r, text) => tests.every((t) => t(r, text)), errors, usesText };
}
