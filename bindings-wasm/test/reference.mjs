// Reads the librmn-written reference corpus (../shared/data beside the repository): the
// keys librmn reported for every record, and the arrays it decoded. Shared by the wasm and
// Node binding tests. Expectations come only from these files, never from our output.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Root of the reference corpus. */
export const DATA = process.env.FST24_DATA || path.resolve(here, '../../../shared/data');

/** Path of a corpus file, e.g. `data('librmn019/grids.fst')`. */
export const data = (rel) => path.join(DATA, rel);

export function corpusPresent() {
  return existsSync(DATA);
}

/** The keys of every live record, in directory order, under the names of the record shape
 *  all bindings share (the core's `RecordInfo`; names trimmed of their blank padding). */
export function referenceRecords(fstPath) {
  const ref = JSON.parse(readFileSync(fstPath.replace(/\.fst$/, '.json'), 'utf8'));
  if (ref.records) {
    // librmn 019 schema: rpnpy's fstprm per record in c_fstinl (file) order.
    return ref.records.map((r) => {
      const p = r.fstprm;
      return {
        ...pickKeys(p),
        datyp: p.datyp,
        nbits: p.nbits,
        offset: (p.swa - 1) * 8,
        length: p.lng * 4,
        // rNNNN.npy is read with librmn's default (plug values for missing points).
        array: r.data && { file: data(`librmn019/${r.data.npy}`), format: 'npy', missing: 'plug' },
      };
    });
  }
  // librmn 20 schema: fst24_get_record_by_index / find_next results.
  return ref.fst24.records
    .filter((r) => !r.deleted)
    .map((r) => ({
      key: r.file_index,
      ...pickKeys(r),
      datyp: r.data_type,
      nbits: r.pack_bits,
      data_bits: r.data_bits,
      offset: r.file_offset,
      length: r.total_stored_bytes,
      array: r.data && r.data.sidecar && {
        file: data(`librmn20/${r.data.sidecar}`),
        format: r.data.elem_type,
        missing: 'marker', // read with the missing-value mode forced on (README)
      },
    }));
}

/** librmn's decoded ip1..ip3 (`ConvertIp`: value, kind) and dates (`newdate`) per live
 *  record, dates as ISO strings. */
export function referenceDecoded(fstPath) {
  const ref = JSON.parse(readFileSync(fstPath.replace(/\.fst$/, '.json'), 'utf8'));
  const iso = (d) => {
    if (!d || d.newdate_status) return null; // no date, or newdate refused the stamp
    const ymd = String(d.yyyymmdd).padStart(8, '0');
    const hms = String(d.hhmmsshh).padStart(8, '0');
    return `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}T${hms.slice(0, 2)}:${hms.slice(2, 4)}:${hms.slice(4, 6)}Z`;
  };
  const ip = (d) => d && { value: d.value, kind: d.kind };
  if (ref.records) {
    return ref.records.map(({ decoded: d }) => ({
      ip1: ip(d.ip1), ip2: ip(d.ip2), ip3: ip(d.ip3), datev: iso(d.datev), dateo: iso(d.dateo),
    }));
  }
  return ref.fst24.records.filter((r) => !r.deleted).map(({ decoded: d }) => ({
    ip1: ip(d.ip1_ConvertIp), ip2: ip(d.ip2_ConvertIp), ip3: ip(d.ip3_ConvertIp),
    datev: iso(d.datev), dateo: iso(d.dateo),
  }));
}

/** librmn 20's ConvertIPtoPK per live record: `{ p1, kind1, p2, kind2, p3, kind3 }`
 *  in single precision, or null when it failed. (librmn 019 files use older rules.) */
export function referencePk(fstPath) {
  const ref = JSON.parse(readFileSync(fstPath.replace(/\.fst$/, '.json'), 'utf8'));
  return ref.fst24.records.filter((r) => !r.deleted).map(({ decoded: { ConvertIPtoPK: k } }) => (
    k && k.status >= 0
      ? { p1: Math.fround(k.p1), kind1: k.kind1, p2: Math.fround(k.p2), kind2: k.kind2, p3: Math.fround(k.p3), kind3: k.kind3 }
      : null));
}

/** Our `pk` in the shape of `referencePk`. */
export function ourPk(rec) {
  const k = rec.pk;
  return k ? {
    p1: Math.fround(k.level.value), kind1: k.level.kind, p2: Math.fround(k.time.value),
    kind2: k.time.kind, p3: Math.fround(k.third.value), kind3: k.third.kind,
  } : null;
}

/** Our decoded levels and dates in the shape of `referenceDecoded`. */
export function ourDecoded(rec) {
  const ip = (d) => (d ? { value: Math.fround(d.value), kind: d.kind } : null);
  return {
    ip1: ip(rec.level), ip2: ip(rec.ip2_decoded), ip3: ip(rec.ip3_decoded),
    datev: rec.datev_iso, dateo: rec.dateo_iso,
  };
}

/** `referenceDecoded` values rounded like ours (librmn computes in single precision). */
export function roundedDecoded(ref) {
  // librmn answers kind -1 for a code that is not a valid encoding; we answer null.
  const ip = (d) => (d && d.kind !== -1 ? { value: Math.fround(d.value), kind: d.kind } : null);
  return { ip1: ip(ref.ip1), ip2: ip(ref.ip2), ip3: ip(ref.ip3), datev: ref.datev, dateo: ref.dateo };
}

function pickKeys(r) {
  const out = {};
  for (const k of ['nomvar', 'typvar', 'etiket', 'grtyp', 'ni', 'nj', 'nk', 'dateo', 'datev',
    'deet', 'npas', 'ip1', 'ip2', 'ip3', 'ig1', 'ig2', 'ig3', 'ig4']) {
    out[k] = typeof r[k] === 'string' ? r[k].trimEnd() : r[k];
  }
  return out;
}

const NPY_TYPES = {
  '<f4': Float32Array, '<f8': Float64Array, '<c8': Float32Array, '<c16': Float64Array,
  '|i1': Int8Array, '<i2': Int16Array, '<i4': Int32Array, '<i8': BigInt64Array,
  '|u1': Uint8Array, '<u2': Uint16Array, '<u4': Uint32Array, '<u8': BigUint64Array,
};
const SIDECAR_TYPES = {
  f32: Float32Array, f64: Float64Array, c64: Float32Array, c128: Float64Array,
  i8: Int8Array, i16: Int16Array, i32: Int32Array, i64: BigInt64Array,
  u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, u64: BigUint64Array,
  char8: Uint8Array, x32: Uint32Array,
};

/** The reference array of a record as a typed array (Fortran order), or null. */
export function referenceArray(array) {
  if (!array) return null;
  const bytes = readFileSync(array.file);
  if (array.format === 'npy') {
    const v1 = bytes[6] === 1;
    const headerLen = v1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
    const start = (v1 ? 10 : 12) + headerLen;
    const header = bytes.subarray(v1 ? 10 : 12, start).toString('latin1');
    const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
    const Type = NPY_TYPES[descr];
    if (!Type) return null;
    return toTyped(Type, bytes.subarray(start));
  }
  const Type = SIDECAR_TYPES[array.format];
  return Type ? toTyped(Type, bytes) : null;
}

function toTyped(Type, buf) {
  const copy = new Uint8Array(buf); // aligned copy
  return new Type(copy.buffer, 0, copy.byteLength / Type.BYTES_PER_ELEMENT);
}

/** Compares our decoded typed array with librmn's, value by value (numbers, NaN = NaN).
 *  Returns null when equal, else a message naming the first difference. */
export function compareValues(ours, ref) {
  const n = Math.min(ours.length, ref.length);
  for (let i = 0; i < n; i += 1) {
    const a = typeof ours[i] === 'bigint' ? Number(ours[i]) : ours[i];
    const b = typeof ref[i] === 'bigint' ? Number(ref[i]) : ref[i];
    if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) {
      return `value ${i}: ours ${a}, librmn ${b}`;
    }
  }
  return null;
}

/**
 * Records librmn decodes wrongly (the golden harness's DEVIATIONS, tests/tests/golden.rs):
 * librmn 20 sign-extends 16-bit datyp-130 values above 32767 into its unsigned buffer.
 */
const SIGN_EXTENDED = [['librmn20/mixed_xdf.fst', 'UQ'], ['librmn20/mixed_rsf.fst', 'UQ']];

/**
 * Compares `ours` with librmn's `ref` for record `nomvar` of file `rel`: exactly, or, for the
 * known sign-extension quirk, checks that librmn's value is exactly ours sign-extended from
 * 16 bits (so ours is the written unsigned value).
 */
export function compareRecord(rel, nomvar, ours, ref) {
  if (!SIGN_EXTENDED.some(([f, n]) => f === rel && n === nomvar.trim())) {
    return compareValues(ours, ref);
  }
  const n = Math.min(ours.length, ref.length);
  for (let i = 0; i < n; i += 1) {
    const a = Number(ours[i]);
    const extended = a >= 0x8000 ? a + 0xFFFF0000 : a;
    if (!(a < 0x10000 && Number(ref[i]) === extended)) {
      return `value ${i}: ours ${a}, librmn ${ref[i]} (expected ${a} sign-extended from 16 bits)`;
    }
  }
  return null;
}

/** The fields of one of our record objects that `referenceRecords` also has. */
export function comparable(rec, ref) {
  const out = {};
  for (const k of Object.keys(ref)) if (k !== 'array') out[k] = rec[k];
  return out;
}

/** `ref` without its `array` entry. */
export function withoutArray(ref) {
  const { array, ...rest } = ref;
  return rest;
}
