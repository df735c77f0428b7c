/**
 * The README's runnable examples, as test/readme.test.ts and test/readme-browser.test.ts run them: found in the
 * Markdown, run as written (in the headless browser, in Node on Dawn, or in Deno), and what they print compared
 * with the output the README shows.
 *
 * An example is a ```js block right after an HTML comment naming where it runs, and its output is the next
 * fenced block, a ```text one (prose may sit between them):
 *
 *   <!-- example: browser -->            (or: node, deno)
 *   ```js ... ```
 *   ```text ... ```
 *
 * The comment is invisible on GitHub, so the README reads as plain examples.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'puppeteer';
import type { Plugin, ViteDevServer } from 'vite';
import { browserName, launchBrowser, projectRoot } from '../../scripts/browser.mjs';
import { denoEnv, findDeno } from '../../scripts/deno.mjs';

export type ExampleKind = 'browser' | 'node' | 'deno';
const KINDS: readonly string[] = ['browser', 'node', 'deno'];

export interface ReadmeExample {
  readonly kind: ExampleKind;
  /** 1-based line of the ```js fence, for messages (`README.md:<line>`). */
  readonly line: number;
  readonly code: string;
  /** The ```text block after it: what the example prints. */
  readonly output: string;
}

/** A fenced block: its info string, its text and the line of its opening fence (1-based). */
interface Fence { readonly info: string; readonly body: string; readonly line: number }

function fences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith(open[1]) && l.trim() === open[1]);
    if (end < 0) throw new Error(`line ${i + 1}: a code fence that never closes`);
    out.push({ info: open[2].trim(), body: lines.slice(i + 1, end).join('\n'), line: i + 1 });
    i = end;
  }
  return out;
}

const MARKER = /<!--\s*example:\s*([\w-]+)\s*-->\s*$/;

/**
 * The examples of a Markdown text, in order. Throws, naming the line, for a marker of an unknown kind, a marker
 * not followed by a ```js block, an example with no ```text output after it, and a ```js/```ts block that is not
 * marked (every script in the README must run, or it could rot unseen).
 */
export function readmeExamples(markdown: string): ReadmeExample[] {
  const lines = markdown.split('\n');
  const blocks = fences(markdown);
  const examples: ReadmeExample[] = [];
  blocks.forEach((f, k) => {
    if (!/^(js|javascript|ts|typescript|mjs)$/.test(f.info)) return;
    // The marker is the last non-blank line before the fence.
    let j = f.line - 2;
    while (j >= 0 && lines[j].trim() === '') j--;
    const marker = j >= 0 ? MARKER.exec(lines[j]) : null;
    if (!marker) throw new Error(`line ${f.line}: a \`\`\`${f.info} block without an <!-- example: browser|node|deno --> comment before it: every script in the README must run`);
    const kind = marker[1];
    if (!KINDS.includes(kind)) throw new Error(`line ${j + 1}: unknown example kind "${kind}" (${KINDS.join(', ')})`);
    if (f.info !== 'js') throw new Error(`line ${f.line}: an example must be a \`\`\`js block (it runs as written), got \`\`\`${f.info}`);
    const next = blocks[k + 1];
    if (!next || next.info !== 'text') throw new Error(`line ${f.line}: the example has no \`\`\`text block after it showing its output`);
    examples.push({ kind: kind as ExampleKind, line: f.line, code: `${f.body}\n`, output: next.body });
  });
  for (let i = 0; i < lines.length; i++) {
    if (MARKER.test(lines[i]) && !examples.some((e) => e.line > i + 1 && lines.slice(i + 1, e.line - 1).every((l) => l.trim() === ''))) {
      throw new Error(`line ${i + 1}: an example marker not followed by a \`\`\`js block`);
    }
  }
  return examples;
}

/**
 * Null when `printed` is `expected` line by line (trailing spaces and blank lines at either end aside), else
 * a message naming the first line that differs and, within it, the first number that differs.
 */
export function compareOutput(printed: string, expected: string): string | null {
  const norm = (s: string) => s.replace(/\r/g, '').split('\n').map((l) => l.trimEnd()).join('\n').trim().split('\n');
  const got = norm(printed);
  const want = norm(expected);
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (got[i] === want[i]) continue;
    if (got[i] === undefined) return `line ${i + 1}: missing; the README shows ${JSON.stringify(want[i])}`;
    if (want[i] === undefined) return `line ${i + 1}: printed ${JSON.stringify(got[i])}, which the README does not show`;
    const num = /(?<![\w.])-?(?:\d+\.?\d*(?:e[-+]?\d+)?|Infinity|NaN)(?![\w.])/g;
    const a = got[i].match(num) ?? [];
    const b = want[i].match(num) ?? [];
    const n = a.findIndex((v, k) => v !== b[k]);
    const which = n >= 0 && n < b.length ? `; number ${n + 1} is ${a[n]}, the README shows ${b[n]}` : '';
    return `line ${i + 1}: printed ${JSON.stringify(got[i])}, the README shows ${JSON.stringify(want[i])}${which}`;
  }
  return null;
}

/** The package's entries as the examples import them, mapped to the source (browser runs). */
const ENTRIES: Record<string, string> = {
  'webgpu-convtranspose': resolve(projectRoot, 'src/index.ts'),
  'webgpu-convtranspose/tfjs': resolve(projectRoot, 'src/integrations/tfjs-kernel.ts'),
  'webgpu-convtranspose/ort': resolve(projectRoot, 'src/integrations/ort-session.ts'),
};

const PREFIX = '/@readme-example/';

export interface ExamplePage {
  /** Runs `code` as a module in a fresh page; resolves with what it logged, rejects with its error. */
  run(code: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A Vite dev server for the project with the examples as modules (`/@readme-example/<n>.js`, imports of
 * `webgpu-convtranspose` resolved to the source) and the headless browser ($TEST_BROWSER, default Chromium)
 * with WebGPU. Throws when the browser
 * has no WebGPU adapter: an example that cannot reach a GPU must fail, not pass.
 */
export async function openExamplePage(): Promise<ExamplePage> {
  const { createServer } = await import('vite');
  const modules = new Map<string, string>();
  const plugin: Plugin = {
    name: 'readme-examples',
    enforce: 'pre',
    resolveId(id) {
      if (id in ENTRIES) return ENTRIES[id];
      if (id.startsWith(PREFIX)) return id;
      return null;
    },
    load(id) {
      return id.startsWith(PREFIX) ? modules.get(id) ?? null : null;
    },
    configureServer(server: ViteDevServer) {
      server.middlewares.use((req, res, next) => {
        if (req.url !== `${PREFIX}page.html`) { next(); return; }
        res.setHeader('content-type', 'text/html');
        res.end('<!doctype html><meta charset="utf-8"><title>README example</title>');
      });
    },
  };
  const server = await createServer({
    root: projectRoot,
    configFile: join(projectRoot, 'vite.config.ts'),
    logLevel: 'error',
    plugins: [plugin],
    // Its own dependency cache: the plugin changes Vite's config hash, and a shared cache would be re-optimized
    // under the other browser tests' servers running at the same time.
    cacheDir: join(projectRoot, 'node_modules/.vite-readme'),
    // Found up front, so no dependency is discovered (and re-optimized) while an example runs.
    optimizeDeps: { include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-webgpu', 'onnxruntime-web/webgpu', 'protobufjs/light.js'] },
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
  });
  await server.listen();
  const address = server.httpServer?.address();
  const base = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await server.close();
    throw e;
  }
  let count = 0;
  return {
    async run(code) {
      const url = `${PREFIX}${++count}.js`;
      modules.set(url, code);
      const page = await browser.newPage();
      const logged: string[] = [];
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'log') logged.push(m.text());
        else if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      try {
        await page.goto(`${base}${PREFIX}page.html`, { waitUntil: 'load' });
        const adapter = await page.evaluate(async () => !!(await navigator.gpu?.requestAdapter()));
        if (!adapter) throw new Error(`headless ${browserName()} has no WebGPU adapter: the README examples need WebGPU`);
        // A string, not a function: vitest rewrites import() inside functions it compiles.
        const failure = await page.evaluate(`import(${JSON.stringify(url)}).then(() => null, (e) => e instanceof Error ? e.name + ': ' + e.message : String(e))`) as string | null;
        await page.evaluate(() => 0); // console events sent before this reply are in by now
        if (failure) throw new Error(`${failure}${errors.length ? `\n${errors.join('\n')}` : ''}\nprinted so far:\n${logged.join('\n')}`);
        const handles = logged.filter((l) => l.includes('JSHandle@'));
        if (handles.length) throw new Error(`an example printed an object (${handles[0]}): print strings, so the browser and Node print the same`);
        return logged.join('\n');
      } finally {
        await page.close();
        modules.delete(url);
      }
    },
    async close() {
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

export const SWIFTSHADER_ENV = { LD_LIBRARY_PATH: '/usr/lib/chromium', VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' };

/**
 * An app directory in which `webgpu-convtranspose` is installed as a user has it: the package.json and a
 * fresh `vite build` of dist (into the app, never the project's dist/, which `npm pack` may be writing),
 * and the project's `webgpu` (Dawn for Node) beside it. Node examples run there.
 */
export function nodeApp(dir: string): string {
  const pkg = join(dir, 'node_modules/webgpu-convtranspose');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(projectRoot, 'package.json'), join(pkg, 'package.json'));
  const vite = join(projectRoot, 'node_modules/vite/bin/vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--outDir', join(pkg, 'dist'), '--emptyOutDir', '--logLevel', 'warn'], { cwd: projectRoot, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`vite build exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  symlinkSync(join(projectRoot, 'node_modules/webgpu'), join(dir, 'node_modules/webgpu'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-examples', private: true, type: 'module' }));
  return dir;
}

/** Runs `code` as an ES module file in `app` with Node on Dawn/SwiftShader; resolves with its stdout, or throws with both streams. */
export function runNodeExample(app: string, name: string, code: string): string {
  const file = join(app, `${name}.mjs`);
  writeFileSync(file, code);
  const r = spawnSync(process.execPath, [file], { cwd: app, env: { ...process.env, ...SWIFTSHADER_ENV }, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`node ${name}.mjs exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Runs `code` as an ES module file in `app` with Deno (its built-in WebGPU); resolves with its stdout, or throws with both streams. */
export function runDenoExample(app: string, name: string, code: string): string {
  const file = join(app, `${name}.mjs`);
  writeFileSync(file, code);
  const r = spawnSync(findDeno(), ['run', `${name}.mjs`], { cwd: app, env: denoEnv(), encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`deno run ${name}.mjs exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** README.md's text. */
export function readme(): string {
  return readFileSync(join(projectRoot, 'README.md'), 'utf8');
}
