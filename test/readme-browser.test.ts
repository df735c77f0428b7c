/**
 * The README's browser examples (```js blocks marked `<!-- example: browser -->`), run as written against the
 * source in the headless browser ($TEST_BROWSER: Chromium, or Firefox in its tier), each printing exactly the
 * output the README shows after it. The other examples and the README's other checks: test/readme.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserName } from '../scripts/browser.mjs';
import { compareOutput, openExamplePage, readme, readmeExamples, type ExamplePage } from './support/readme';

const browserExamples = readmeExamples(readme()).filter((e) => e.kind === 'browser');
const where = (line: number) => `README.md:${line}`;

describe(`the README's browser examples, in headless ${browserName()}`, () => {
  let page: ExamplePage;
  beforeAll(async () => { page = await openExamplePage(); });
  afterAll(async () => { await page?.close(); });

  it.each(browserExamples.map((e) => [where(e.line), e] as const))('%s prints what the README shows', async (_, e) => {
    const problem = compareOutput(await page.run(e.code), e.output);
    if (problem) expect.fail(`${where(e.line)}: ${problem}`);
  });

  it('a broken example fails: a changed weight changes what it prints', async () => {
    const e = browserExamples[0];
    const broken = e.code.replace(/data: \[0, 1, 1,/, 'data: [0, 1, 2,');
    expect(broken, 'the first browser example no longer has the weight this test changes').not.toBe(e.code);
    expect(compareOutput(await page.run(broken), e.output)).toMatch(/^line \d+: printed/);
  });
});
