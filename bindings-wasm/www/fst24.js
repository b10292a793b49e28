// fst24 in the browser: reads an RPN standard file by byte ranges, from a Blob/File
// (`blob.slice`) or a URL (HTTP Range requests), so only the header, the directory and the
// records actually decoded are ever read. The core's sans-I/O scanner says which ranges.
import init, { FstScanner, RecordTable } from './pkg/fst24_wasm.js';

let initialised = null;

/** Loads the WebAssembly module once. `source` (optional) is what wasm-bindgen's `init`
 *  accepts: a URL, a Response, or the .wasm bytes (Node). In a browser page, also starts
 *  the worker that reads Blob ranges (blob-reader.js). */
export function ready(source) {
  if (!initialised) {
    initialised = init(source === undefined ? undefined : { module_or_path: source });
    blobReader = BlobReader.start();
  }
  return initialised;
}

/** Reads composite Blobs in a worker (blob-reader.js), off the page's main thread; null
 *  where there are no workers (Node) or none could start (a Content-Security-Policy). */
let blobReader = null;

class BlobReader {
  static start() {
    if (typeof Worker !== 'function' || typeof document === 'undefined') return null;
    try {
      return new BlobReader(new Worker(new URL('./blob-reader.js', import.meta.url)));
    } catch {
      return null;
    }
  }

  constructor(worker) {
    this.worker = worker;
    this.pending = new Map(); // id → { resolve, reject }
    this.next = 0;
    this.broken = false;
    worker.onmessage = ({ data: { id, bytes, error } }) => {
      const call = this.pending.get(id);
      this.pending.delete(id);
      if (call) (error === undefined ? call.resolve(new Uint8Array(bytes)) : call.reject(new Error(error)));
    };
    // The worker did not load or died: its reads fail over to the page (null), as later ones.
    worker.onerror = (e) => {
      e.preventDefault();
      this.broken = true;
      for (const call of this.pending.values()) call.resolve(null);
      this.pending.clear();
    };
  }

  /** The bytes of `ranges` of `blob`, one after the other; null when the worker cannot. */
  read(blob, ranges) {
    if (this.broken) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const id = this.next;
      this.next += 1;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, blob, ranges });
    });
  }
}

/** Byte ranges of a Blob. */
class BlobSource {
  constructor(blob) {
    this.blob = blob;
    this.size = blob.size;
    this.name = blob.name || 'blob';
    /** Bytes of guessed directory ranges read with each range the scan needs (the core
     *  guesses where the next XDF directory pages lie: `FstScanner.nextReads`): a read
     *  costs the browser far more than its bytes. */
    this.readAhead = 1 << 20;
    this.requests = 0;
    this.bytes = 0;
    this.workerReads = 0; // of `requests`, those the worker made
  }

  async read(offset, length) {
    if (offset + length > this.size) {
      throw new Error(`read of ${length} bytes at byte offset ${offset} passes the end of the file (${this.size} bytes)`);
    }
    this.requests += 1;
    this.bytes += length;
    return new Uint8Array(await this.blob.slice(offset, offset + length).arrayBuffer());
  }

  /** Several ranges `[offset, length, ...]` in one read (a Blob made of their slices:
   *  one request to the browser, not one each; read in a worker where there is one), their
   *  bytes one after the other. */
  async readRanges(ranges) {
    let length = 0;
    for (let i = 0; i < ranges.length; i += 2) {
      if (ranges[i] + ranges[i + 1] > this.size) {
        throw new Error(`read of ${ranges[i + 1]} bytes at byte offset ${ranges[i]} passes the end of the file (${this.size} bytes)`);
      }
      length += ranges[i + 1];
    }
    this.requests += 1;
    this.bytes += length;
    if (blobReader && this.blob instanceof Blob) {
      const bytes = await blobReader.read(this.blob, ranges);
      if (bytes) {
        if (bytes.length !== length) throw new Error(`read ${bytes.length} bytes of ${length} from the file`);
        this.workerReads += 1;
        return bytes;
      }
    }
    const parts = [];
    for (let i = 0; i < ranges.length; i += 2) parts.push(this.blob.slice(ranges[i], ranges[i] + ranges[i + 1]));
    if (parts.length === 1) return new Uint8Array(await parts[0].arrayBuffer());
    if (!parts.every((p) => p instanceof Blob)) {
      // A Blob-like that is no Blob (anything with `size` and `slice`): one read each.
      const out = new Uint8Array(length);
      let at = 0;
      for (const p of parts) {
        const bytes = new Uint8Array(await p.arrayBuffer());
        out.set(bytes, at);
        at += bytes.length;
      }
      return out;
    }
    return new Uint8Array(await new Blob(parts).arrayBuffer());
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
    /** As BlobSource's, smaller: the guesses of a round are requested together (one round
     *  trip), but their bytes cross the network. */
    this.readAhead = 256 << 10;
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

  /** Several ranges `[offset, length, ...]`, requested together, their bytes one after
   *  the other. */
  async readRanges(ranges) {
    const reads = [];
    for (let i = 0; i < ranges.length; i += 2) reads.push(this.read(ranges[i], ranges[i + 1]));
    const parts = await Promise.all(reads);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** The core's record builder (`RecordColumns::js_record_function`) and values resolver
 *  (`RecordColumns::js_values_function`), compiled once; `false` where the page's
 *  Content-Security-Policy forbids `new Function`. */
let buildRecord = null;
let resolveValues = null;

function compileBuilders() {
  if (buildRecord === null) {
    try {
      buildRecord = new Function('c', 'v', 'i', RecordTable.builder()); // eslint-disable-line no-new-func
      resolveValues = new Function('v', RecordTable.resolver()); // eslint-disable-line no-new-func
    } catch {
      buildRecord = false;
    }
  }
  return buildRecord;
}

/** Records in the first batch of columns: more rows than a screen shows, so a page's
 *  first listing builds the columns of these only (the rest when a record beyond them,
 *  or every record, is needed: after the first paint). */
const FIRST_BATCH = 256;

/** The core's columns of the next `count` records of `directory` moved to JavaScript
 *  (`FstDirectory.nextRecordTable`): one typed array per field, `{ start, end, columns }`;
 *  the distinct names, dates and levels they index are appended to `values` (no JSON of
 *  10,000 records). `timings` adds up the milliseconds of each step: `columns` (the core
 *  builds them in WASM), `transfer` (copied out of WASM memory), `values` (their JSON
 *  parsed); the first batch also marks each step's end, for profilers (bench/listing.mjs). */
function loadBatch(directory, count, values, timings, first) {
  if (first) performance.mark('fst24:table');
  let t0 = performance.now();
  const lap = (name) => {
    const now = performance.now();
    timings[name] += now - t0;
    t0 = now;
    if (first) performance.mark(`fst24:${name}`);
  };
  const table = directory.nextRecordTable(count);
  lap('columns');
  let batch;
  let valuesJson;
  let valuesStart;
  try {
    batch = { start: table.start, end: table.start + table.length, columns: Array.from({ length: table.width }, (_, k) => table.column(k)) };
    valuesJson = table.values;
    valuesStart = table.valuesStart;
  } finally {
    table.free();
  }
  lap('transfer');
  if (valuesStart !== values.length) throw new Error(`record columns: values numbered from ${valuesStart}, ${values.length} held`);
  for (const v of JSON.parse(valuesJson)) values.push(v);
  resolveValues(values); // the earlier batches' values are resolved already: frozen again
  lap('values');
  return batch;
}

/** An open file: its directory, plus the source to read record data from. */
export class FstFile {
  constructor(source, directory) {
    this.source = source;
    this.directory = directory;
    this._batches = []; // record columns moved to JavaScript so far: { start, end, columns }
    this._values = []; // the values they index
    this._built = null; // record objects built so far, by position
    this._records = null;
    this._plan = null;
    /** Milliseconds spent: `scan` (directory read, set by openBlob/openUrl), `columns`,
     *  `transfer`, `values` (see loadBatch), `build` (record objects built, summed). */
    this.timings = { scan: 0, columns: 0, transfer: 0, values: 0, build: 0 };
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

  /** The record at position `i` (0 ≤ i < length, directory order), built on first use:
   *  a listing that shows 50 rows builds 50 records, not 10,000. The same object as
   *  `records()[i]`. */
  record(i) {
    this._prepare();
    let rec = this._built[i];
    if (rec === undefined) {
      if (!(i >= 0 && i < this._built.length && Number.isInteger(i))) {
        throw new RangeError(`record position ${i} is not in 0..${this._built.length - 1}`);
      }
      if (!buildRecord) return this.records()[i];
      const batch = this._batchOf(i);
      const t0 = performance.now();
      rec = buildRecord(batch.columns, this._values, i - batch.start);
      this._built[i] = rec;
      this.timings.build += performance.now() - t0;
    }
    return rec;
  }

  /** Metadata of every live record, directory order: the core's `RecordInfo` shape, the
   *  same fields as the Node module and Python's `Record.to_dict()`. Built once, from the
   *  core's columns (not JSON); the level objects are shared and frozen. */
  records() {
    if (this._records) return this._records;
    this._prepare();
    if (buildRecord) {
      const built = this._built;
      if (built.length) this._batchOf(built.length - 1); // every record's columns
      const t0 = performance.now();
      for (const { start, end, columns } of this._batches) {
        for (let i = start; i < end; i += 1) {
          if (built[i] === undefined) built[i] = buildRecord(columns, this._values, i - start);
        }
      }
      this.timings.build += performance.now() - t0;
      this._records = built;
    } else {
      // No `new Function` (Content-Security-Policy): the core's JSON instead.
      this._records = JSON.parse(this.directory.recordsJson());
    }
    this._batches = []; // every record is built: the columns are no longer needed
    return this._records;
  }

  /** Ready to build records: the builder compiled, room for the records. */
  _prepare() {
    if (!this._built) {
      compileBuilders();
      this._built = new Array(this.length);
    }
  }

  /** The batch of columns that holds record `i`, moved to JavaScript on first use: the
   *  first FIRST_BATCH records, then all the others. */
  _batchOf(i) {
    for (const batch of this._batches) if (i < batch.end) return batch;
    for (;;) {
      const first = this._batches.length === 0;
      const batch = loadBatch(this.directory, first ? FIRST_BATCH : this.length, this._values, this.timings, first);
      this._batches.push(batch);
      if (i < batch.end) return batch;
      if (batch.end === batch.start) throw new Error(`record ${i}: the directory has no columns for it`);
    }
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


/** Reads the directory; the time from the first byte read to the directory built is
 *  `file.timings.scan` (waiting for reads included). */
async function scan(source, prefix, t0) {
  const scanner = new FstScanner(prefix, source.size);
  try {
    for (let ranges; (ranges = scanner.nextReads(source.readAhead)); ) {
      scanner.feedRanges(ranges, await source.readRanges(ranges));
    }
    const file = new FstFile(source, scanner.finish());
    file.timings.scan = performance.now() - t0;
    performance.mark('fst24:scan');
    return file;
  } finally {
    scanner.free();
  }
}

/** Lists the records of `blob` (a File, a Blob, or anything with `size` and `slice`). */
export async function openBlob(blob) {
  await ready();
  const t0 = performance.now();
  performance.mark('fst24:open');
  const source = new BlobSource(blob);
  const prefix = await source.read(0, Math.min(FstScanner.detectLen(), blob.size));
  return scan(source, prefix, t0);
}

/** Lists the records of the file at `url` through HTTP Range requests (the server must
 *  answer 206; cross-origin servers must allow the `Range` header). `options.fetch`
 *  replaces the global `fetch`. */
export async function openUrl(url, options = {}) {
  await ready();
  const t0 = performance.now();
  performance.mark('fst24:open');
  const { source, prefix } = await UrlSource.open(url, FstScanner.detectLen(), options.fetch);
  return scan(source, prefix, t0);
}
