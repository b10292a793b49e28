// How the inspector shows keys: decoded levels, times and dates, and units by convention.

// Records share their (frozen) level objects and date strings, so each text is computed
// once per distinct value rather than once per record and column.
const levelTexts = new WeakMap();
const dateTexts = new Map();

/** "850 mb" from a decoded `{ value, unit }`, else the raw code. */
export function levelText(decoded, raw) {
  if (!decoded) return String(raw);
  let text = levelTexts.get(decoded);
  if (text === undefined) {
    text = `${+decoded.value.toPrecision(7)} ${unitText(decoded.unit)}`.trim();
    levelTexts.set(decoded, text);
  }
  return text;
}

/** librmn's unit labels as people write them (`H` is hours). */
function unitText(unit) {
  return unit === 'H' ? 'h' : unit || '';
}

/** ip2 as a time (ConvertIPtoPK reads it as hours), else the raw code. */
export function ip2Text(r) {
  return r.pk ? levelText(r.pk.time, r.ip2) : String(r.ip2);
}

/** ip3 as ConvertIPtoPK reads it, except an old-style (arbitrary, unnumbered) code. */
export function ip3Text(r) {
  const third = r.pk && r.pk.third;
  return third && !(third.kind === 3 && r.ip3 <= 32767) ? levelText(third, r.ip3) : String(r.ip3);
}

/** "2025-01-02 03:00" (seconds only when not zero) from an ISO date, else the raw stamp. */
export function dateText(iso, raw) {
  if (!iso) return String(raw);
  let text = dateTexts.get(iso);
  if (text === undefined) {
    const full = iso.slice(0, 19).replace('T', ' ');
    text = full.endsWith(':00') ? full.slice(0, 16) : full;
    if (dateTexts.size > 100000) dateTexts.clear(); // bounded: one entry per distinct date
    dateTexts.set(iso, text);
  }
  return text;
}

// Units are not stored in FST records; these are CMC/GEM conventions for common names.
const UNITS = {
  TT: '°C', TD: '°C', ES: '°C', TM: 'K', UU: 'kt', VV: 'kt', UV: 'kt', WW: 'Pa/s',
  GZ: 'dam', P0: 'hPa', PN: 'hPa', HU: 'kg/kg', QC: 'kg/kg', HR: 'fraction', MG: 'fraction',
  ME: 'm', LA: '° N', LO: '° E', PR: 'm', NT: 'fraction', SD: 'cm', I0: 'K',
};

/** Units of `nomvar` by convention, or null. */
export function unitsOf(nomvar) {
  return UNITS[nomvar] || null;
}
