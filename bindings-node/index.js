'use strict';
// fst24 for Node.js: the public API over the native addon (native.js, built by napi-rs).
// Records come from the core as columns, rebuilt by the core's own builder function into
// `fst24::RecordInfo`'s shape (the same fields as Python's `Record.to_dict()` and the WASM
// inspector's records); errors become Node-style
// errors; files close explicitly, with `using`, or when garbage collected.
const os = require('node:os');
const util = require('node:util');
const native = require('./native.js');

const dispose = Symbol.dispose || Symbol.for('nodejs.dispose');
const asyncDispose = Symbol.asyncDispose || Symbol.for('nodejs.asyncDispose');

/** Rebuilds a native error (`CODE|message`) as a Node-style error. */
function nodeError(err, path, syscall) {
  const match = /^([A-Z0-9_]+(?::[A-Z0-9-]+)?)\|([\s\S]*)$/.exec(err && err.message);
  if (!match) return err;
  const [, tag, message] = match;
  let out;
  if (tag.startsWith('FST24_IO:')) {
    // A number (the OS errno) or a name (ENOENT); Node's errno is negative.
    const given = tag.slice('FST24_IO:'.length);
    let code = /^\d+$/.test(given) ? 'EIO' : given;
    let errno = -(os.constants.errno[given] ?? 5);
    if (/^\d+$/.test(given)) {
      errno = -Number(given);
      try { code = util.getSystemErrorName(errno); } catch { /* unknown number: EIO */ }
    }
    out = new Error(`${code}: ${message}`);
    Object.assign(out, { code, errno, syscall });
    if (path !== undefined) out.path = path;
  } else if (tag === 'ERR_OUT_OF_RANGE') {
    out = new RangeError(message);
    out.code = tag;
  } else if (tag === 'ERR_FST24_USAGE') {
    out = new TypeError(message);
    out.code = tag;
  } else {
    out = new Error(message);
    out.code = tag;
    if (path !== undefined) out.path = path;
  }
  return out;
}

/** Calls `fn`, rethrowing its error as a Node-style one. */
function call(fn, path, syscall) {
  try {
    return fn();
  } catch (err) {
    throw nodeError(err, path, syscall);
  }
}

async function callAsync(fn, path, syscall) {
  try {
    return await fn();
  } catch (err) {
    throw nodeError(err, path, syscall);
  }
}

/** A record key: a non-negative integer (checked here so -1 is not wrapped to 2^32-1). */
function checkKey(key) {
  if (typeof key !== 'number' || !Number.isInteger(key) || key < 0) {
    const err = new RangeError(`The record key must be a non-negative integer. Received ${util.inspect(key)}`);
    err.code = 'ERR_OUT_OF_RANGE';
    throw err;
  }
}

function checkPath(path) {
  if (typeof path !== 'string') {
    const err = new TypeError(`The "path" argument must be of type string. Received ${util.inspect(path)}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
}

/** The core's record builder (`RecordColumns::js_record_function`) and values resolver
 *  (`RecordColumns::js_values_function`), compiled once. */
let buildRecord = null;
let resolveValues = null;

/** Builds the records from the core's columns (no JSON of 10,000 records to write and
 *  parse); records and the level objects they share are frozen, so one list can be
 *  handed out many times. */
function recordsFromColumns(table) {
  if (!buildRecord) {
    buildRecord = new Function('c', 'v', 'i', table.builder); // eslint-disable-line no-new-func
    resolveValues = new Function('v', table.resolver); // eslint-disable-line no-new-func
  }
  const { columns, length } = table;
  const values = resolveValues(JSON.parse(table.values));
  const records = new Array(length);
  for (let i = 0; i < length; i += 1) records[i] = Object.freeze(buildRecord(columns, values, i));
  return records;
}

/** An open RPN standard file (read-only, XDF or RSF). */
class FstFile {
  /** Use `open` / `openAsync`. */
  constructor(inner, path) {
    this._inner = inner;
    this.path = path;
    this._records = null;
  }

  /** `'xdf'` or `'rsf'`. */
  get backend() { return call(() => this._inner.backend, this.path); }

  /** Number of live records. */
  get length() { return call(() => this._inner.length, this.path); }

  /** True after `close()`. */
  get closed() { return this._inner.closed; }

  /** Metadata of every live record, in directory order (a new array of shared, frozen
   *  record objects; parsed once). */
  records() {
    if (!this._records) this._records = recordsFromColumns(call(() => this._inner.recordsColumns(), this.path));
    return this._records.slice();
  }

  /** Like `records()`, building the list on the libuv thread pool. */
  async recordsAsync() {
    if (!this._records) {
      const table = await callAsync(() => this._inner.recordsColumnsAsync(), this.path);
      if (!this._records) this._records = recordsFromColumns(table);
    }
    return this._records.slice();
  }

  /** Things librmn would only log while opening (bad checksums, unclosed files, ...). */
  warnings() { return call(() => this._inner.warnings(), this.path); }

  /** Decodes the record with `key` (its `key` field). */
  readRecord(key, options) {
    checkKey(key);
    return call(() => this._inner.readRecord(key, options), this.path);
  }

  /** Like `readRecord`, decoding on the libuv thread pool. */
  async readRecordAsync(key, options) {
    checkKey(key);
    return callAsync(() => this._inner.readRecordAsync(key, options), this.path);
  }

  /** Closes the file; further calls throw `ERR_FST24_CLOSED`. Idempotent. */
  close() { this._inner.close(); this._records = null; }

  [dispose]() { this.close(); }

  async [asyncDispose]() { this.close(); }

  /** The records, in directory order. */
  [Symbol.iterator]() { return this.records()[Symbol.iterator](); }

  /** The records, listed off the event loop. */
  async* [Symbol.asyncIterator]() { yield* await this.recordsAsync(); }

  [util.inspect.custom]() {
    return this.closed ? `FstFile <closed ${this.path}>`
      : `FstFile <${this.path}: ${this.backend}, ${this.length} records>`;
  }
}

/** Opens the file at `path` and reads its directory (blocks; see `openAsync`). */
function open(path) {
  checkPath(path);
  return new FstFile(call(() => native.FstFile.open(path), path, 'open'), path);
}

/** Opens the file at `path`, reading its directory on the libuv thread pool. */
async function openAsync(path) {
  checkPath(path);
  return new FstFile(await callAsync(() => native.FstFile.openAsync(path), path, 'open'), path);
}

/** The field names of every record object, in order. */
const RECORD_FIELDS = Object.freeze(['key', 'nomvar', 'typvar', 'etiket', 'grtyp', 'ni', 'nj',
  'nk', 'dateo', 'datev', 'deet', 'npas', 'ip1', 'ip2', 'ip3', 'ig1', 'ig2', 'ig3', 'ig4',
  'datyp', 'nbits', 'data_bits', 'ubc', 'data_type', 'element_type', 'offset', 'length',
  'metadata', 'level', 'ip2_decoded', 'ip3_decoded', 'pk', 'datev_iso', 'datev_unix',
  'dateo_iso', 'dateo_unix', 'backend', 'missing']);

module.exports = { open, openAsync, FstFile, RECORD_FIELDS };
