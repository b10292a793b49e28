// fst24 in the browser: reads an RPN standard file from a Blob/File by slices, so only the
// header, the directory and the records actually decoded are ever read.
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

/** Bytes `[offset, offset + length)` of a Blob. */
async function readRange(blob, offset, length) {
  if (offset + length > blob.size) {
    throw new Error(`read of ${length} bytes at byte offset ${offset} passes the end of the file (${blob.size} bytes)`);
  }
  return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
}

/** An open file: its directory, plus the Blob to read record data from. */
export class FstBlobFile {
  constructor(blob, directory) {
    this.blob = blob;
    this.directory = directory;
    this._records = null;
  }

  /** `"XDF"` or `"RSF"`. */
  get backend() { return this.directory.backend; }

  /** Number of live records. */
  get length() { return this.directory.length; }

  /** Metadata of every live record (plain objects, directory order). */
  records() {
    if (!this._records) this._records = this.directory.records();
    return this._records;
  }

  /** Warnings librmn would only log. */
  warnings() { return this.directory.warnings(); }

  /** Decodes record `position` into `{ shape, dtype, data }` (`data`: a typed array).
   *  `options.missing`: `'plug'` (default), `'marker'` or `'nan'` for +64 records. */
  async read(position, options = {}) {
    const [offset, length] = this.directory.dataRange(position);
    const bytes = await readRange(this.blob, offset, length);
    return this.directory.decode(position, bytes, options.missing);
  }

  /** Frees the WebAssembly-side directory. */
  close() { this.directory.free(); }
}

/** Lists the records of `blob` (a File, a Blob, or anything with `size` and `slice`). */
export async function openBlob(blob) {
  await ready();
  const prefix = await readRange(blob, 0, Math.min(FstScanner.detectLen(), blob.size));
  const scanner = new FstScanner(prefix, blob.size);
  try {
    for (let range; (range = scanner.nextRead()); ) {
      scanner.feed(await readRange(blob, range[0], range[1]));
    }
    return new FstBlobFile(blob, scanner.finish());
  } finally {
    scanner.free();
  }
}
