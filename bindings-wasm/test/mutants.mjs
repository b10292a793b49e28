// Structure-aware mutants of the reference corpus for the Node and WASM mutant tests:
// written by the core's `write_mutants` example (one size/offset/count/key field of a
// real file set to a boundary value), so both bindings see exactly the core's mutants.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SHARED = process.env.FST24_SHARED ?? path.join(REPO, '..', 'shared');

/** Mutants per corpus file in CI; `FST24_MUTANTS=all` (or a number) for more. */
export const PER_FILE = process.env.FST24_MUTANTS ?? '2';

/** Writes the mutants into a new temporary folder: `[{ path, label }]`. */
export function writeMutants() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fst24-mutants-'));
  execFileSync('cargo', ['run', '-q', '-p', 'fst24', '--example', 'write_mutants', '--',
    dir, path.join(SHARED, 'data'), PER_FILE], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  return readFileSync(path.join(dir, 'index.tsv'), 'utf8').trim().split('\n').map((line) => {
    const [name, label] = line.split('\t');
    return { path: path.join(dir, name), label };
  });
}

/** Mutants that once broke some surface: `core/tests/regressions/mutants/*`, `[{ path, label }]`. */
export function regressionMutants() {
  const dir = path.join(REPO, 'core', 'tests', 'regressions', 'mutants');
  return readdirSync(dir).sort().map((name) => ({ path: path.join(dir, name), label: name }));
}
