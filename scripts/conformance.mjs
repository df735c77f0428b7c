#!/usr/bin/env node
// npm run conformance -- FILE.json [FILE.json ...]
// Runs conformance cases (the format of test/fixtures/conformance/README.md) through every GPU path in
// headless Chromium. Numeric cases pass when the shape matches and every element has
// |got - exp| <= 1e-4 + 1e-4·|exp|; error cases pass when the library throws an Error before any GPU work.
// Numeric cases run on the float32 variants of test/support/variants.ts: the float16 ones round the data, so a
// case's expected values do not apply to them (the browser tests hold them to the reference of the rounded data).
// Prints one line per case and path, then "N passed, M failed"; exits non-zero if any failed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startBrowserSession } from './browser.mjs';

const files = process.argv.slice(2).filter((a) => a !== '--');
if (files.length === 0 || files.some((f) => f === '-h' || f === '--help')) {
  console.error('usage: npm run conformance -- FILE.json [FILE.json ...]');
  process.exit(files.length === 0 ? 2 : 0);
}
// npm runs scripts from the package root; paths on the command line are relative to where the user was.
const cwd = process.env.INIT_CWD ?? process.cwd();

const session = await startBrowserSession({ log: (m) => console.error(m) });
let passed = 0, failed = 0, skipped = 0;
try {
  const { isErrorCase, onnxAttrs, skipReason } = await session.server.ssrLoadModule('/test/support/conformance.ts');
  const { PATH_OPTIONS } = await session.server.ssrLoadModule('/src/gpu/kernels/registry.ts');
  const { VARIANTS } = await session.server.ssrLoadModule('/test/support/variants.ts');
  const float32Variants = VARIANTS.filter((v) => !v.dataType).map((v) => v.name);
  const page = await session.open('test/browser/index.html');
  await page.waitForFunction('window.harness !== undefined', { timeout: 60_000 });
  const adapter = await page.evaluate(() => window.harness.adapterInfo());
  if (!adapter.ok) throw new Error(`no WebGPU adapter in the page: ${adapter.info}`);
  console.error(`adapter: ${adapter.info}`);

  const line = (ok, text) => { console.log(`${ok ? 'PASS' : 'FAIL'} ${text}`); ok ? passed++ : failed++; };
  for (const file of files) {
    const cases = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
    if (!Array.isArray(cases)) throw new Error(`${file}: expected a JSON array of cases`);
    console.error(`# ${file}: ${cases.length} cases`);
    for (const c of cases) {
      const why = skipReason(c);
      if (why) { console.log(`SKIP ${c.name}: ${why}`); skipped++; continue; }
      if (isErrorCase(c)) {
        const results = [];
        for (const path of PATH_OPTIONS) {
          results.push(await page.evaluate((s) => window.harness.rejectCase(s), {
            name: c.name, inputShape: c.input_shape, weightShape: c.weight_shape, biasShape: c.bias_shape,
            attrs: onnxAttrs(c.attrs_specified ?? {}), path,
          }));
        }
        const bad = results.find((r) => !r.rejected || !r.isError || r.gpuCalls > 0);
        const r = bad ?? results[0];
        const msg = !r.rejected ? 'accepted (expected an Error)' : r.gpuCalls > 0 ? `${r.message} (after ${r.gpuCalls} GPU calls)` : r.message;
        line(!bad, `reject ${c.name}: ${msg}`);
        continue;
      }
      const results = await page.evaluate((s) => window.harness.runCase(s), {
        name: c.name, inputShape: c.input.shape, weightShape: c.weight.shape,
        attrs: onnxAttrs(c.attrs_specified ?? c.attrs), input: c.input.data, weight: c.weight.data,
        bias: c.bias?.data ?? null, expected: c.expected, variants: float32Variants,
      });
      for (const r of results) {
        if (r.error) { line(false, `${r.path} ${c.name}: error: ${r.error.split('\n')[0]}`); continue; }
        const err = Number(r.expected.maxAbsErr); // a string for NaN/±Infinity (wire form, test/support/compare.ts)
        const detail = !r.shapeOk ? ` (shape [${r.shape}], expected [${c.expected.shape}])`
          : r.expected.firstBad ? ` (first bad index ${r.expected.firstBad.index}: got ${r.expected.firstBad.got}, expected ${r.expected.firstBad.expected})` : '';
        line(r.shapeOk && r.expected.ok, `${r.path} ${c.name}: max abs err ${err.toExponential(2)}${detail}`);
      }
    }
  }
} catch (e) {
  console.error(`conformance: ${e?.stack ?? e}`);
  failed++;
} finally {
  await session.close();
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
