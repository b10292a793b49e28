// Types of fst24-node's public API (index.js / index.mjs). Checked with `tsc --strict`
// in CI (test/types/). The native half's generated types are in native.d.ts.

/** An ip decoded to a value and what it measures (librmn's `ConvertIp`). */
export interface DecodedIp {
  /** The value (single precision, as librmn computes it). */
  value: number
  /** librmn's kind code (0 m, 1 sigma, 2 mb, 3 arbitrary, 4 m above ground, 5 hybrid, 10 hours, ...). */
  kind: number
  /** librmn's unit label (`mb`, `sg`, `hy`, `H`, ...). */
  unit: string
}

/** ip1, ip2 and ip3 read together (librmn 20's `ConvertIPtoPK`). */
export interface DecodedPk {
  /** The level (from ip1). */
  level: DecodedIp
  /** The time, normally hours (from ip2). */
  time: DecodedIp
  /** The third value (from ip3). */
  third: DecodedIp
  /** librmn's guess-quality flags (2 good guess, 4 bad, 8 terrible, 32 warning). */
  status: number
}

/**
 * One record's metadata, the shape every fst24 binding shares (the core's `RecordInfo`:
 * Python's `Record.to_dict()` has the same fields). Names are trimmed of blank padding.
 */
export interface RecordInfo {
  /** Directory position (librmn's handle): what `readRecord` takes. */
  readonly key: number
  readonly nomvar: string
  readonly typvar: string
  readonly etiket: string
  readonly grtyp: string
  readonly ni: number
  readonly nj: number
  readonly nk: number
  /** Origin date stamp (CMC date-time stamp). */
  readonly dateo: number
  /** Valid date stamp. */
  readonly datev: number
  /** Time step length (s). */
  readonly deet: number
  /** Time step number. */
  readonly npas: number
  readonly ip1: number
  readonly ip2: number
  readonly ip3: number
  readonly ig1: number
  readonly ig2: number
  readonly ig3: number
  readonly ig4: number
  /** Stored data type code, flags (+64 missing, +128 turbo) included. */
  readonly datyp: number
  /** Packed bits per value. */
  readonly nbits: number
  /** Element size of the writer's array in bits. */
  readonly data_bits: number
  readonly ubc: number
  /** Short label of the packing, e.g. `R16`, `E32`, `F16z`. */
  readonly data_type: string
  /** Element type the record decodes to, null if undecodable. */
  readonly element_type: DType | null
  /** Byte offset of the record in the file. */
  readonly offset: number
  /** Stored size of the record in bytes. */
  readonly length: number
  /** Extended JSON metadata (RSF), as stored. */
  readonly metadata: string | null
  /** ip1 decoded (null for an invalid code). */
  readonly level: DecodedIp | null
  readonly ip2_decoded: DecodedIp | null
  readonly ip3_decoded: DecodedIp | null
  /** The three ips read together; null when they do not decode. */
  readonly pk: DecodedPk | null
  /** Valid date as `YYYY-MM-DDTHH:MM:SSZ` (null when the stamp is not a date). */
  readonly datev_iso: string | null
  /** Valid date in seconds since 1970-01-01T00:00Z. */
  readonly datev_unix: number | null
  readonly dateo_iso: string | null
  readonly dateo_unix: number | null
  readonly backend: Backend
  /** True for a +64 record (some points are missing). */
  readonly missing: boolean
}

export type Backend = 'xdf' | 'rsf'
export type DType = 'f32' | 'f64' | 'i8' | 'i16' | 'i32' | 'i64' | 'u8' | 'u16' | 'u32' | 'u64'
  | 'c64' | 'c128' | 'char' | 'word'

/** The typed array a record decodes to (its natural element type). */
export type TypedData = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array
  | BigInt64Array | Uint8Array | Uint16Array | Uint32Array | BigUint64Array

/** One decoded record. */
export interface DecodedArray {
  /** `[ni, nj, nk]`. */
  shape: number[]
  dtype: DType
  /** Values in Fortran order (`i` fastest); complex values interleaved (re, im). */
  data: TypedData
}

/** Options of `readRecord` / `readRecordAsync`. */
export interface ReadOptions {
  /** Points of +64 records: `'plug'` (librmn's default), `'marker'` or `'nan'`. */
  missing?: 'plug' | 'marker' | 'nan'
}

/**
 * Errors carry `code`: a system code (`'ENOENT'`, with `errno`, `syscall`, `path`),
 * `'ERR_FST24_FORMAT'` (damaged file; the message names record and byte offset),
 * `'ERR_FST24_UNSUPPORTED'`, `'ERR_FST24_LIMIT'`, `'ERR_FST24_USAGE'`, `'ERR_FST24_CLOSED'`,
 * or `'ERR_OUT_OF_RANGE'` (a `RangeError`: no live record has that key).
 */
export interface Fst24Error extends Error {
  code: string
  errno?: number
  syscall?: string
  path?: string
}

/** An open RPN standard file (read-only, XDF or RSF). */
export declare class FstFile implements Disposable, AsyncDisposable, Iterable<RecordInfo>, AsyncIterable<RecordInfo> {
  private constructor()
  /** The path it was opened with. */
  readonly path: string
  /** `'xdf'` or `'rsf'`. */
  get backend(): Backend
  /** Number of live records. */
  get length(): number
  /** True after `close()`. */
  get closed(): boolean
  /** Metadata of every live record, in directory order. */
  records(): RecordInfo[]
  /** Like `records()`, building the list on the libuv thread pool. */
  recordsAsync(): Promise<RecordInfo[]>
  /** Things librmn would only log while opening. */
  warnings(): string[]
  /** Decodes the record with this `key`. */
  readRecord(key: number, options?: ReadOptions): DecodedArray
  /** Like `readRecord`, decoding on the libuv thread pool. */
  readRecordAsync(key: number, options?: ReadOptions): Promise<DecodedArray>
  /** Closes the file (idempotent). */
  close(): void
  [Symbol.dispose](): void
  [Symbol.asyncDispose](): Promise<void>
  [Symbol.iterator](): Iterator<RecordInfo>
  [Symbol.asyncIterator](): AsyncIterator<RecordInfo>
}

/** Opens the file at `path` and reads its directory (blocks the thread). */
export declare function open(path: string): FstFile
/** Opens the file at `path`, reading its directory on the libuv thread pool. */
export declare function openAsync(path: string): Promise<FstFile>
/** The field names of every record object, in order. */
export declare const RECORD_FIELDS: readonly (keyof RecordInfo)[]
