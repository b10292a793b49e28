// Compiled with `tsc --strict` against the installed package (test/package.test.mjs) and run:
// every public type used the way a program would.
import { open, openAsync, FstFile, RECORD_FIELDS } from 'fst24-node';
import type { RecordInfo, DecodedArray, DecodedIp, Fst24Error, TypedData, ReadOptions } from 'fst24-node';

function firstLevel(r: RecordInfo): number | undefined {
  const level: DecodedIp | null = r.level;
  return level?.value;
}

async function main(path: string): Promise<void> {
  let kept: FstFile;
  {
    using file = open(path);
    kept = file;
    const records: RecordInfo[] = file.records();
    const options: ReadOptions = { missing: 'marker' };
    const array: DecodedArray = file.readRecord(records[0].key, options);
    const data: TypedData = array.data;
    if (data.length === 0 || firstLevel(records[0]) === Infinity) throw new Error('empty');
    if (RECORD_FIELDS.length !== Object.keys(records[0]).length) throw new Error('fields');
  }
  const later = await openAsync(path);
  let n = 0;
  for await (const r of later) n += r.ni > 0 ? 1 : 0;
  const again: DecodedArray = await later.readRecordAsync(0);
  later.close();
  try {
    later.readRecord(0);
  } catch (e) {
    if ((e as Fst24Error).code !== 'ERR_FST24_CLOSED') throw e;
  }
  console.log(`ok ${n} records, closed ${kept.closed}`, again.shape.length === 3 ? '' : 'bad shape');
}

main(process.argv[2]).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
