#!/usr/bin/env node
// npm run fuzz -- [--cases N] [--seed S] [--paths a,b] [--special-share F] [--shrink K] [--shrink-budget B] [--in-flight W]
//
// Seeded random configurations (test/support/random.ts: 1-D to 3-D, groups, dilation, every padding form,
// batches, bias; a share F of them, default 0.25, with NaN, ±Inf, -0 and exact zeros planted in the data)
// run through every path variant (test/support/variants.ts; --paths picks some) in headless Chromium and
// compared with the float64 scatter reference: |got - expected| <= 1e-4 + 1e-4·|expected|, NaN and ±Inf exactly.
//
// Prints progress on stderr; on stdout, per failure: the configuration, the path, the first bad index, got and
// expected; then, for the first K failing cases (default 3), the smallest configuration found that still fails
// on that path (greedy shrinking, at most B tries each, default 300), as a line and as a test-page case. Ends
// with the wall time, the largest error per path and "N passed, M failed" (one check = one case on one path);
// exits 1 when any check failed. Cases run W at a time in the page (default 4), reported in order.
//
// Plain .mjs on purpose: Node 20 runs it as it is; the TypeScript (generator, shrinker) is loaded through Vite.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startBrowserSession } from './browser.mjs';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    paths: { type: 'string' },
    'special-share': { type: 'string', default: '0.25' },
    shrink: { type: 'string', default: '3' },
    'shrink-budget': { type: 'string', default: '300' },
    'in-flight': { type: 'string', default: '4' },
    fault: { type: 'string' }, // testing the fuzzer itself: a wrong reference (test/browser/harness.ts: CaseSpec.fault)
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  process.stdout.write(readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1).filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
  process.exit(0);
}
const int = (name, min) => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < min) { console.error(`--${name}: expected an integer >= ${min}, got ${args[name]}`); process.exit(2); }
  return v;
};
const count = int('cases', 1), seed = int('seed', 0), shrinkCount = int('shrink', 0), shrinkBudget = int('shrink-budget', 1), inFlight = int('in-flight', 1);
const specialShare = Number(args['special-share']);
if (!(specialShare >= 0 && specialShare <= 1)) { console.error(`--special-share: expected a number in [0, 1], got ${args['special-share']}`); process.exit(2); }

const started = Date.now();
const elapsed = () => (Date.now() - started) / 1000;
const log = (msg) => process.stderr.write(`[${elapsed().toFixed(0).padStart(5)} s] ${msg}\n`);

const session = await startBrowserSession({ log });
let passed = 0, failed = 0;
let exitCode = 0;
try {
  const { randomCases } = await session.server.ssrLoadModule('/test/support/random.ts');
  const fuzz = await session.server.ssrLoadModule('/test/support/fuzz.ts');
  const { VARIANT_NAMES } = await session.server.ssrLoadModule('/test/support/variants.ts');
  const paths = args.paths ? args.paths.split(',').map((s) => s.trim()).filter(Boolean) : [...VARIANT_NAMES];
  const unknown = paths.filter((p) => !VARIANT_NAMES.includes(p));
  if (unknown.length || paths.length === 0) throw new Error(`--paths: expected some of ${VARIANT_NAMES.join(', ')}, got ${args.paths}`);

  const page = await session.open('test/browser/index.html');
  await page.waitForFunction('window.harness !== undefined', { timeout: 60_000 });
  const adapter = await page.evaluate(() => window.harness.adapterInfo());
  if (!adapter.ok) throw new Error(`no WebGPU adapter in the page: ${adapter.info}`);
  log(`adapter: ${adapter.info}; ${count} cases from seed ${seed} (special values in ${specialShare * 100}%) on ${paths.join(', ')}`);

  /** The test page's case for `c` on `variants`. */
  const spec = (name, c, variants) => ({
    name, inputShape: c.inputShape, weightShape: c.weightShape, attrs: c.attrs, seed: c.seed, withBias: c.bias,
    specials: c.specials ?? null, variants, ...(args.fault ? { fault: args.fault } : {}),
  });
  const verdict = (r) => {
    if (r.error) return `threw ${r.error.split('\n')[0]}`;
    if (!r.shapeOk) return `output shape [${r.shape}] is wrong`;
    if (!r.reference.ok) return `first bad index ${r.reference.firstBad.index}: got ${r.reference.firstBad.got}, expected ${r.reference.firstBad.expected} (max abs err ${r.reference.maxAbsErr})`;
    return null;
  };

  const largest = Object.fromEntries(paths.map((p) => [p, { err: 0, at: null }]));
  const failing = []; // { index, c, path }
  const cases = randomCases(count, seed, { specialShare }).map((c) => fuzz.fromRandomCase(c));
  // Cases run inFlight at a time in the page (startCase, caseResult), so one case's GPU waits overlap another's work.
  let next = 0;
  const startUpTo = async (end) => {
    for (; next < Math.min(end, cases.length); next++) await page.evaluate((id, s) => window.harness.startCase(id, s), `fuzz#${next}`, spec(`#${next}`, cases[next], paths));
  };
  let lastLog = Date.now();
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    await startUpTo(i + inFlight);
    const results = await page.evaluate((id) => window.harness.caseResult(id), `fuzz#${i}`);
    let caseFailed = false;
    for (const r of results) {
      const why = verdict(r);
      if (why) {
        failed++;
        console.log(`FAIL #${i} [${r.path}] ${fuzz.describeCase(c)}: ${why}`);
        if (!caseFailed) failing.push({ index: i, c, path: r.path });
        caseFailed = true;
      } else {
        passed++;
        const err = Number(r.reference.maxAbsErr);
        if (err > largest[r.path].err) largest[r.path] = { err, at: i };
      }
    }
    if (Date.now() - lastLog > 10_000 || i === cases.length - 1) {
      lastLog = Date.now();
      const rate = (i + 1) / elapsed();
      log(`${i + 1}/${cases.length} cases, ${passed + failed} checks, ${failed} failed (${rate.toFixed(1)} cases/s)`);
    }
  }

  for (const { index, c, path } of failing.slice(0, shrinkCount)) {
    log(`shrinking #${index} on ${path}: ${fuzz.describeCase(c)}`);
    const fails = async (candidate) => {
      const [r] = await page.evaluate((s) => window.harness.runCase(s), spec('shrink', candidate, [path]));
      return verdict(r) !== null;
    };
    const { smallest, steps, tries } = await fuzz.shrink(c, fails, shrinkBudget);
    const [r] = await page.evaluate((s) => window.harness.runCase(s), spec('shrunk', smallest, [path]));
    console.log(`SHRUNK #${index} [${path}] in ${steps} steps (${tries} tries), ${fuzz.caseSize(c)} -> ${fuzz.caseSize(smallest)} elements: ${fuzz.describeCase(smallest)}: ${verdict(r) ?? 'passes now (flaky?)'}`);
    console.log(`  as a test-page case: ${JSON.stringify(spec(`fuzz #${index} shrunk`, smallest, [path]))}`);
  }
  if (failing.length > shrinkCount) console.log(`(${failing.length - shrinkCount} more failing cases not shrunk; --shrink raises the number)`);

  console.log(`wall time ${elapsed().toFixed(1)} s for ${count} cases on ${adapter.info}`);
  console.log('largest abs error per path (finite elements; NaN/±Inf must match exactly):');
  for (const p of paths) console.log(`  ${p.padEnd(12)} ${largest[p].err.toExponential(2)}${largest[p].at === null ? '' : ` (case #${largest[p].at})`}`);
} catch (e) {
  console.error(`fuzz: ${e?.stack ?? e}`);
  exitCode = 2;
} finally {
  await session.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : exitCode);
