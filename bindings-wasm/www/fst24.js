// fst24 in the browser: reads an RPN standard file by byte ranges, from a Blob/File
// (`blob.slice`) or a URL (HTTP Range requests), so only the header, the directory and the
// records actually decoded are ever read. The core's sans-I/O scanner says which ranges.
import init, { FstScanner } from './pkg/fst24_wasm.js';

let initialised = null;

/** Loads the WebAssembly module once. `source` (optional) is what wasm-bindgen's `init`
 *  accepts: a URL, a Response, or the .wasm bytes (Node). */
export function ready(source) {
  if (!initialised) {
    initialised = init(source === undefined ? undefined : { module_or_path: source });
  }
  return initialised;
}

/** Byte ranges of a Blob. */
class BlobSource {
  constructor(blob) {
    this.blob = blob;
    this.size = blob.size;
    this.name = blob.name || 'blob';
    this.requests = 0;
    this.bytes = 0;
  }

  async read(offset, length) {
    if (offset + length > this.size) {
      throw new Error(`read of ${length} bytes at byte offset ${offset} passes the end of the file (${this.size} bytes)`);
    }
    this.requests += 1;
    this.bytes += length;
    return new Uint8Array(await this.blob.slice(offset, offset + length).arrayBuffer());
  }
}

/** Byte ranges of a URL, one HTTP Range request each. A server that ignores `Range`
 *  (answers 200 with the whole file) is refused rather than downloaded whole. */
class UrlSource {
  constructor(url, size, fetchImpl) {
    this.url = url;
    this.size = size;
    this.name = decodeURIComponent(new URL(url, globalThis.location?.href).pathname.split('/').pop() || url);
    this.fetch = fetchImpl;
    this.requests = 0;
    this.bytes = 0;
  }

  /** Opens `url`: the first request reads `length` bytes and learns the size. */
  static async open(url, length, fetchImpl = globalThis.fetch.bind(globalThis)) {
    const source = new UrlSource(url, Infinity, fetchImpl);
    const { bytes, total } = await source.get(0, length, true);
    source.size = total;
    return { source, prefix: bytes.subarray(0, Math.min(length, total)) };
  }

  async get(offset, length, first = false) {
    const response = await this.fetch(this.url, { headers: { Range: `bytes=${offset}-${offset + length - 1}` } });
    if (first && response.status === 416) {
      throw new Error(`${this.url}: the server has no bytes for this file (HTTP 416: empty file?)`);
    }
    if (response.status !== 206) {
      if (response.body) response.body.cancel().catch(() => {});
      throw new Error(response.ok
        ? `${this.url}: the server does not honour HTTP Range requests (answered ${response.status}, not 206)`
        : `${this.url}: HTTP ${response.status} ${response.statusText}`);
    }
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') || '');
    if (!range || Number(range[1]) !== offset) {
      throw new Error(`${this.url}: unexpected Content-Range ${JSON.stringify(response.headers.get('content-range'))} for bytes ${offset}-${offset + length - 1}`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    this.requests += 1;
    this.bytes += bytes.length;
    return { bytes, total: range[3] === '*' ? NaN : Number(range[3]) };
  }

  async read(offset, length) {
    if (offset + length > this.size) {
      throw new Error(`read of ${length} bytes at byte offset ${offset} passes the end of the file (${this.size} bytes)`);
    }
    const { bytes } = await this.get(offset, length);
    if (bytes.length !== length) {
      throw new Error(`${this.url}: asked for ${length} bytes at byte offset ${offset}, got ${bytes.length}`);
    }
    return bytes;
  }
}

/** The core's record builder (`RecordColumns::js_record_function`), compiled once;
 *  `false` where the page's Content-Security-Policy forbids `new Function`. */
let buildRecord = null;

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Every record of `directory`, built from the core's columns: one typed array per field
 *  and a small table of distinct names, dates and levels, instead of 10,000 records of
 *  JSON to parse. Falls back to the JSON where `new Function` is not allowed. */
function recordsFromColumns(directory) {
  const table = directory.recordsColumns();
  if (buildRecord === null) {
    try {
      buildRecord = new Function('c', 'v', 'i', table.builder); // eslint-disable-line no-new-func
    } catch {
      buildRecord = false;
    }
  }
  if (!buildRecord) return JSON.parse(directory.recordsJson());
  const { columns, length } = table;
  const values = deepFreeze(JSON.parse(table.values));
  const records = new Array(length);
  for (let i = 0; i < length; i += 1) records[i] = buildRecord(columns, values, i);
  return records;
}

/** An open file: its directory, plus the source to read record data from. */
export class FstFile {
  constructor(source, directory) {
    this.source = source;
    this.directory = directory;
    this._records = null;
    this._plan = null;
  }

  /** `"xdf"` or `"rsf"`. */
  get backend() { return this.directory.backend; }

  /** Number of live records. */
  get length() { return this.directory.length; }

  /** File name (of the Blob or the URL's path). */
  get name() { return this.source.name; }

  /** Size in bytes. */
  get size() { return this.source.size; }

  /** `{ requests, bytes }` read so far. */
  get traffic() { return { requests: this.source.requests, bytes: this.source.bytes }; }

  /** Metadata of every live record, directory order: the core's `RecordInfo` shape, the
   *  same fields as the Node module and Python's `Record.to_dict()`. Built once, from the
   *  core's columns (not JSON); the level objects are shared and frozen. */
  records() {
    if (!this._records) this._records = recordsFromColumns(this.directory);
    return this._records;
  }

  /** Warnings librmn would only log. */
  warnings() { return this.directory.warnings(); }

  /** Keys of the records an expression of the core's selection language selects
   *  (`nomvar=TT,UU etiket=G1* ip1=850mb datev=2025-01-02..`; throws on a bad one). */
  select(expression) { return Array.from(this.directory.select(expression)); }

  /** `{ description, lat, lon, note }` of record `key`'s grid, from the core: for Z, Y
   *  and U grids the `>>`, `^^` and `^>` records are fetched as the core asks for them
   *  (see FstDirectory.grid). */
  async grid(key) { return this._withBytes(() => this.directory.grid(key)); }

  /** The core's dataset plan of the file (`fst24::dataset::plan`, see FstDirectory.plan):
   *  variables, their dimensions and the record key of every step. Fetches the
   *  descriptor records first (a few reads); computed once. */
  plan() {
    if (!this._plan) {
      this._plan = (async () => {
        await this._fetch(this.directory.descriptorRanges());
        return this._withBytes(() => this.directory.plan());
      })();
      this._plan.catch(() => { this._plan = null; }); // a failed fetch may be retried
    }
    return this._plan;
  }

  /** Reads byte ranges `[offset, length, ...]` and hands them to the WebAssembly side. */
  async _fetch(ranges) {
    for (let i = 0; i < ranges.length; i += 2) {
      this.directory.addBytes(ranges[i], await this.source.read(ranges[i], ranges[i + 1]));
    }
  }

  /** Runs `compute` (a call into the core), fetching the bytes it lacked and running it
   *  again until it lacks none (each round fetches what one more step reads). */
  async _withBytes(compute) {
    for (let round = 0; ; round += 1) {
      let out;
      let error = null;
      try {
        out = compute();
      } catch (err) {
        error = err;
      }
      const missing = this.directory.takeMissing();
      if (!missing.length) {
        if (error) throw error;
        return out;
      }
      if (round === 16) throw new Error(`still lacking ${missing.length / 2} byte ranges after 16 rounds of reads`);
      await this._fetch(missing);
    }
  }

  /** Decodes record `key` into `{ shape, dtype, data }` (`data`: a typed array).
   *  `options.missing`: `'plug'` (default), `'marker'` or `'nan'` for +64 records. */
  async read(key, options = {}) {
    const [offset, length] = this.directory.dataRange(key);
    const bytes = await this.source.read(offset, length);
    return this.directory.decode(key, bytes, options.missing);
  }

  /** Frees the WebAssembly-side directory. */
  close() { this.directory.free(); }
}

/** Kept for callers of earlier versions. */
export const FstBlobFile = FstFile;

async function scan(source, prefix) {
  const scanner = new FstScanner(prefix, source.size);
  try {
    for (let range; (range = scanner.nextRead()); ) {
      scanner.feed(await source.read(range[0], range[1]));
    }
    return new FstFile(source, scanner.finish());
  } finally {
    scanner.free();
  }
}

/** Lists the records of `blob` (a File, a Blob, or anything with `size` and `slice`). */
export async function openBlob(blob) {
  await ready();
  const source = new BlobSource(blob);
  const prefix = await source.read(0, Math.min(FstScanner.detectLen(), blob.size));
  return scan(source, prefix);
}

/** Lists the records of the file at `url` through HTTP Range requests (the server must
 *  answer 206; cross-origin servers must allow the `Range` header). `options.fetch`
 *  replaces the global `fetch`. */
export async function openUrl(url, options = {}) {
  await ready();
  const { source, prefix } = await UrlSource.open(url, FstScanner.detectLen(), options.fetch);
  return scan(source, prefix);
}
