/**
 * The README as a user meets it: every script in it runs as written (the ```js blocks marked
 * `<!-- example: browser -->` in the headless browsers, in test/readme-browser.test.ts; the
 * `<!-- example: node -->` ones in Node on Dawn/SwiftShader and the `<!-- example: deno -->` ones in Deno, both
 * against a fresh build installed in a throw-away app), and each prints exactly the output the README shows
 * after it. Plus the README's links and install line, and the checker itself: a changed
 * number in an example, or in the README's output, fails.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../scripts/browser.mjs';
import * as mainEntry from '../src/index';
import * as nodeEntry from '../src/node';
import * as tfjsEntry from '../src/integrations/tfjs-kernel';
import * as ortEntry from '../src/integrations/ort-session';
import { compareOutput, nodeApp, readme, readmeExamples, runDenoExample, runNodeExample } from './support/readme';

const text = readme();
const examples = readmeExamples(text);
const browserExamples = examples.filter((e) => e.kind === 'browser');
const nodeExamples = examples.filter((e) => e.kind === 'node');
const denoExamples = examples.filter((e) => e.kind === 'deno');
const where = (line: number) => `README.md:${line}`;

describe('the README', () => {
  it('has browser and Node examples, each with its output', () => {
    expect(browserExamples.length).toBeGreaterThanOrEqual(4);
    expect(nodeExamples.length).toBeGreaterThanOrEqual(1);
    expect(denoExamples.length).toBeGreaterThanOrEqual(1);
    for (const e of examples) expect(e.output.trim(), where(e.line)).not.toBe('');
  });

  it('says how to install the package as it is built today', () => {
    const { name, version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
    expect(text).toContain(`npm install ./${name}-${version}.tgz`);
    expect(text).toMatch(/not on the npm registry/i);
  });

  it('points nowhere outside the project, and its links and those of docs/ reach existing files and headings', () => {
    expect(text).not.toMatch(/\.\.\/shared/);
    const pages = ['README.md', ...readdirSync(join(projectRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    let count = 0;
    for (const page of pages) {
      const md = readFileSync(join(projectRoot, page), 'utf8');
      for (const [, target, anchor] of md.matchAll(/\]\(([^)#\s]*)(?:#([^)\s]+))?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const file = target ? join(dirname(join(projectRoot, page)), target) : join(projectRoot, page);
        expect(existsSync(file), `${page} links to ${target}, which does not exist`).toBe(true);
        if (anchor && file.endsWith('.md')) expect(headingSlugs(readFileSync(file, 'utf8')), `${page} links to ${target}#${anchor}`).toContain(anchor);
        count++;
      }
    }
    expect(count).toBeGreaterThan(10);
  });

  it('docs/api.md gives the signature of every function and constant the four entries export', () => {
    const api = readFileSync(join(projectRoot, 'docs/api.md'), 'utf8');
    const names = [...Object.keys(mainEntry), ...Object.keys(nodeEntry), ...Object.keys(tfjsEntry), ...Object.keys(ortEntry)];
    expect(names.length).toBeGreaterThan(30);
    // Each with its signature: `function name(...)` or `const NAME: ...` in a code block.
    expect(names.filter((n) => !new RegExp(`(function|const) ${n}\\b`).test(api))).toEqual([]);
  });

  it('names only project files that exist (in `code` spans of README and docs/)', () => {
    for (const page of ['README.md', ...readdirSync(join(projectRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]) {
      const md = readFileSync(join(projectRoot, page), 'utf8');
      for (const [, path] of md.matchAll(/`((?:src|shaders|test|bench|scripts|demo|docs)\/[\w./-]*[\w/])`/g)) {
        expect(existsSync(join(projectRoot, path)), `${page} names ${path}, which does not exist`).toBe(true);
      }
    }
  });
});

/** GitHub's anchors for a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens. */
function headingSlugs(md: string): string[] {
  return [...md.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+)$/gm)]
    .map((m) => m[1].trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'));
}

describe('the example checker', () => {
  it('finds marked examples and their output, and refuses unmarked scripts and missing outputs', () => {
    const md = ['<!-- example: node -->', '```js', 'console.log(1)', '```', 'It prints:', '```text', '1', '```'].join('\n');
    expect(readmeExamples(md)).toEqual([{ kind: 'node', line: 2, code: 'console.log(1)\n', output: '1' }]);
    expect(() => readmeExamples('```js\nconsole.log(1)\n```\n```text\n1\n```')).toThrow(/line 1: .*without an <!-- example/);
    expect(() => readmeExamples('<!-- example: node -->\n```js\nconsole.log(1)\n```\n')).toThrow(/no ```text block/);
    expect(() => readmeExamples('<!-- example: safari -->\n```js\nx\n```\n```text\n```')).toThrow(/unknown example kind "safari"/);
    expect(() => readmeExamples('<!-- example: node -->\nSome prose.\n')).toThrow(/marker not followed/);
  });

  it('fails on a changed number, a missing line and an extra line', () => {
    const shown = 'shape [1,1,4,4]\n0 2 5 3';
    expect(compareOutput('shape [1,1,4,4]\n0 2 5 3\n', shown)).toBeNull();
    expect(compareOutput('shape [1,1,4,4]\n0 2 6 3', shown)).toMatch(/line 2: .*number 3 is 6, the README shows 5/);
    expect(compareOutput('shape [1,1,4,4]', shown)).toMatch(/line 2: missing/);
    expect(compareOutput(`${shown}\n1 3 1 3`, shown)).toMatch(/line 3: printed "1 3 1 3"/);
  });
});

describe('the README\'s Node and Deno examples, in Node on Dawn (SwiftShader) and in Deno (wgpu)', () => {
  let work: string;
  let app: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'webgpu-convtranspose-readme-'));
    app = nodeApp(work);
  }, 180_000);
  afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

  it.each(nodeExamples.map((e) => [where(e.line), e] as const))('%s prints what the README shows', (_, e) => {
    const problem = compareOutput(runNodeExample(app, `example-${e.line}`, e.code), e.output);
    if (problem) expect.fail(`${where(e.line)}: ${problem}`);
  });

  it('a broken example fails: a changed input changes what it prints', () => {
    const e = nodeExamples[0];
    const broken = e.code.replace(/data: \[2, 3, 1, 3\]/, 'data: [2, 3, 1, 4]');
    expect(broken, 'the Node example no longer has the input this test changes').not.toBe(e.code);
    expect(compareOutput(runNodeExample(app, 'broken', broken), e.output)).toMatch(/^line \d+: printed/);
  });

  it.each(denoExamples.map((e) => [where(e.line), e] as const))('%s prints what the README shows, in Deno', (_, e) => {
    const problem = compareOutput(runDenoExample(app, `deno-example-${e.line}`, e.code), e.output);
    if (problem) expect.fail(`${where(e.line)}: ${problem}`);
  });

  it('a broken Deno example fails: a changed input changes what it prints', () => {
    const e = denoExamples[0];
    const broken = e.code.replace(/data: \[2, 3, 1, 3\]/, 'data: [2, 3, 1, 4]');
    expect(broken, 'the Deno example no longer has the input this test changes').not.toBe(e.code);
    expect(compareOutput(runDenoExample(app, 'deno-broken', broken), e.output)).toMatch(/^line \d+: printed/);
  });
});
