// The module as a user gets it: `npm pack` of this package and of the platform package,
// installed (offline) in a fresh project; the README's CommonJS, ES module and TypeScript
// examples run there exactly as written, and `tsc --strict` checks the TypeScript one and
// test/types/program.ts. Run: node --test test/  (after `npm run build`)
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { data } from '../../bindings-wasm/test/reference.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const NODE_MODULES = path.join(ROOT, 'node_modules');
/** Runs a command; its output is in the error when it fails. */
function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    err.message += `\n${err.stdout}\n${err.stderr}`;
    throw err;
  }
}

/** The fenced code blocks of README.md, by language tag. */
function readmeBlocks() {
  const text = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = {};
  for (const m of text.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)) (blocks[m[1]] ??= []).push(m[2]);
  return blocks;
}

test('packed module, installed in a fresh project, runs the README examples as written', (t) => {
  const addon = readdirSync(ROOT).find((f) => f.endsWith('.node'));
  assert.ok(addon, 'build the addon first (npm run build)');
  const mb = statSync(path.join(ROOT, addon)).size / 2 ** 20;
  assert.ok(mb < 4, `the addon is ${mb.toFixed(1)} MB: not stripped?`);
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.private, undefined, 'publishable');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'fst24-node-pkg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const triple = addon.split('.')[1]; // fst24.linux-x64-gnu.node
  const platformDir = path.join(dir, 'platform');
  cpSync(path.join(ROOT, 'npm', triple), platformDir, { recursive: true });
  copyFileSync(path.join(ROOT, addon), path.join(platformDir, addon));
  const main = run('npm', ['pack', '--silent', '--pack-destination', dir], ROOT).trim().split('\n').pop();
  const platform = run('npm', ['pack', '--silent', '--pack-destination', dir], platformDir).trim().split('\n').pop();
  const listed = run('tar', ['tzf', path.join(dir, main)], dir);
  assert.doesNotMatch(listed, /\.node$/m, 'the main package carries no binary');

  const project = path.join(dir, 'project');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user', private: true }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock',
    path.join(dir, main), path.join(dir, platform)], project);
  for (const types of ['@types/node', 'undici-types']) { // for tsc: console, process
    cpSync(path.join(NODE_MODULES, types), path.join(project, 'node_modules', types), { recursive: true });
  }
  copyFileSync(data('librmn20/mixed_rsf.fst'), path.join(project, 'sample.fst'));

  const blocks = readmeBlocks();
  writeFileSync(path.join(project, 'example.cjs'), blocks.js.find((b) => b.includes('require(')));
  writeFileSync(path.join(project, 'example.mjs'), blocks.mjs[0]);
  writeFileSync(path.join(project, 'example.ts'), blocks.ts[0]);
  copyFileSync(path.join(ROOT, 'test/types/program.ts'), path.join(project, 'program.ts'));
  writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, target: 'es2022', module: 'node16', moduleResolution: 'node16',
      lib: ['es2022', 'esnext.disposable'], types: ['node'], outDir: 'out',
    },
    files: ['example.ts', 'program.ts'],
  }));

  const cjs = run('node', ['example.cjs'], project);
  assert.match(cjs, /^rsf \d+$/m);
  const esm = run('node', ['example.mjs'], project);
  assert.match(esm, /\w+ f32 \[ \d+, \d+, 1 \]/);
  run('node', [TSC, '-p', '.'], project); // throws with tsc's diagnostics on any type error
  const ts = run('node', ['out/example.js'], project);
  assert.match(ts, /^\d+ records with a level\nENOENT missing\.fst$/m);
  const program = run('node', ['out/program.js', 'sample.fst'], project);
  assert.match(program, /^ok \d+ records, closed true/m);
});
