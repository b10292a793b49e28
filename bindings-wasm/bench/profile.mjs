// Profiles the inspector page in headless chromium on one file (BENCHMARKS.md, "Node and
// browser"): the page's own figures, main-thread CPU time (CDP Performance metrics) and
// the functions with the most self time (CDP Profiler) while loading, sorting, filtering.
// Usage: node bench/profile.mjs FILE   (after ci.sh built www/pkg; CHROMIUM as in ci.sh)
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../test/static-server.mjs';

const [file] = process.argv.slice(2);
const WWW = fileURLToPath(new URL('../www/', import.meta.url));
const server = await serve(WWW, 0);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
await page.waitForSelector('body[data-state="ready"]');
const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));

async function phase(name, act, done) {
  await cdp.send('Profiler.start');
  const before = await metrics();
  await act();
  await done();
  const after = await metrics();
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) || 0) + (dt[i] || 0) / 1000));
  const byName = new Map();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const label = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    byName.set(label, (byName.get(label) || 0) + (self.get(node.id) || 0));
  }
  const top = [...byName].filter(([l]) => !/^\((idle|program|root)\)/.test(l)).sort((a, b) => b[1] - a[1]).slice(0, 12);
  const d = (k) => ((after[k] - before[k]) * 1000).toFixed(0);
  console.log(`\n== ${name}: main-thread CPU ${d('ThreadTime')} ms, task ${d('TaskDuration')} ms, script ${d('ScriptDuration')} ms, layout ${d('LayoutDuration')} ms, style ${d('RecalcStyleDuration')} ms`);
  for (const [label, ms] of top) console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${label}`);
}

await phase('load', () => page.setInputFiles('#file', file),
  () => page.waitForFunction(() => window.fst24Inspector.timings.load !== undefined));
console.log('page timings', await page.evaluate(() => window.fst24Inspector.timings));
await phase('sort ip1, datev, nomvar', async () => {
  for (const key of ['ip1', 'datev', 'nomvar']) await page.click(`th[data-key="${key}"] button`);
}, () => page.waitForTimeout(50));
await phase('filter keystrokes', async () => {
  let typed = '';
  for (const ch of 'nomvar=T* ip1>0') {
    typed += ch;
    await page.evaluate((v) => { const f = document.getElementById('filter'); f.value = v; f.dispatchEvent(new Event('input')); }, typed);
  }
}, () => page.waitForTimeout(50));
await phase('scroll 10 times by 100 px', async () => {
  for (let k = 1; k <= 10; k += 1) {
    await page.evaluate((y) => new Promise((done) => {
      const w = document.getElementById('table-wrap');
      w.scrollTop = y;
      w.dispatchEvent(new Event('scroll'));
      requestAnimationFrame(() => setTimeout(done, 0));
    }), 8000 + k * 100);
  }
}, () => page.waitForTimeout(50));
await browser.close();
server.close();
