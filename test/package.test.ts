/**
 * The package as a user gets it: `npm pack` (its prepack builds), the tarball installed into a throw-away app
 * in a temp dir (offline: the package has no dependencies), then in that app
 * - what the tarball ships (dist, README, LICENSE; no src/, no shaders/);
 * - type checks under moduleResolution bundler, node16 and nodenext with skipLibCheck off, and a file with
 *   misspelt options that must fail under each (were the types `any`, it would pass);
 * - `require()` of both entries where Node has require(esm);
 * - Node on Dawn (the `webgpu` package, SwiftShader): test/node/smoke.mjs, the README's Node example, in both
 *   the one-shot and the prepared form on every path, against the CPU reference; and the errors a user gets
 *   without the `webgpu` package or without an adapter;
 * - a Vite build of test/package-app, opened in headless Chromium: every path, both forms, against the
 *   package's CPU reference.
 * TypeScript and Vite are the project's own, run on the app's directory, so nothing is downloaded.
 * KEEP_PACKAGE_APP=1 keeps the temp dir and prints where it is.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium, projectRoot } from '../scripts/browser.mjs';

const SWIFTSHADER_ENV = { LD_LIBRARY_PATH: '/usr/lib/chromium', VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' };
const RESOLVERS = [
  { name: 'bundler', module: 'esnext', moduleResolution: 'bundler' },
  { name: 'node16', module: 'node16', moduleResolution: 'node16' },
  { name: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext' },
] as const;

let work: string;
let app: string;
let tarball: string;

/** Runs a command; returns its result with stdout and stderr merged in `output` for failure messages. */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string | undefined> = {}): SpawnSyncReturns<string> & { output: string } {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000 });
  if (r.error) throw r.error;
  return Object.assign(r, { output: `${r.stdout}\n${r.stderr}` }) as SpawnSyncReturns<string> & { output: string };
}

function ok(cmd: string, args: string[], cwd: string, env?: Record<string, string | undefined>): string {
  const r = run(cmd, args, cwd, env);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.output}`);
  return r.stdout;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'webgpu-convtranspose-pack-'));
  if (process.env.KEEP_PACKAGE_APP) process.stderr.write(`package test dir: ${work}\n`);
  ok('npm', ['pack', '--pack-destination', work, '--no-fund'], projectRoot);
  const tgz = readdirSync(work).filter((f) => f.endsWith('.tgz'));
  expect(tgz).toHaveLength(1);
  tarball = join(work, tgz[0]);
  app = join(work, 'app');
  cpSync(join(projectRoot, 'test/package-app'), app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true, type: 'module' }, null, 2));
  ok('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
}, 240_000);

afterAll(() => {
  if (work && !process.env.KEEP_PACKAGE_APP) rmSync(work, { recursive: true, force: true });
});

describe('packed package', () => {
  it('ships dist, README and LICENSE only', () => {
    const files = ok('tar', ['-tzf', tarball], work).trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/webgpu-convtranspose.js', 'dist/webgpu-convtranspose.js.map',
      'dist/node.js', 'dist/types/index.d.ts', 'dist/types/node.d.ts']) {
      expect(files, f).toContain(f);
    }
    const unexpected = files.filter((f) => !/^(package\.json|README\.md|LICENSE|dist\/.+)$/.test(f));
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => f.endsWith('.wgsl') || f.startsWith('src/'))).toEqual([]);
    // The source map carries the sources, since src/ is not shipped.
    const map = JSON.parse(readFileSync(join(app, 'node_modules/webgpu-convtranspose/dist/webgpu-convtranspose.js.map'), 'utf8'));
    expect(map.sourcesContent?.length).toBe(map.sources.length);
  });

  it.each(RESOLVERS)('type-checks under moduleResolution $name, skipLibCheck off; misspelt options fail', ({ name, module, moduleResolution }) => {
    const compilerOptions = {
      target: 'ES2022', module, moduleResolution, lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [],
      strict: true, noEmit: true, skipLibCheck: false,
    };
    writeFileSync(join(app, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, include: ['src'] }, null, 2));
    writeFileSync(join(app, `tsconfig.typo-${name}.json`), JSON.stringify({ compilerOptions, files: ['typo.ts'] }, null, 2));
    const tsc = join(projectRoot, 'node_modules/typescript/bin/tsc');
    ok(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], app);
    const typo = run(process.execPath, [tsc, '-p', `tsconfig.typo-${name}.json`], app);
    expect(typo.status, `typo.ts type-checked under ${name}: the package's types resolve to any`).not.toBe(0);
    expect(typo.output).toMatch(/typo\.ts.*'strid'/);
    expect(typo.output).toMatch(/typo\.ts.*'dawnOption'/);
    expect(typo.output.match(/error TS\d+/g)).toHaveLength(2);
  });

  it('can be require()d where Node supports require(esm)', () => {
    if (!(process.features as { require_module?: boolean }).require_module) return; // Node < 20.19 / 22.12
    const out = ok(process.execPath, ['-e', `
      const main = require('webgpu-convtranspose'), node = require('webgpu-convtranspose/node');
      console.log(typeof main.convTranspose, typeof main.scatterReference, typeof node.nodeDevice);`], app);
    expect(out.trim()).toBe('function function function');
  });
});

describe('in Node, on Dawn (the webgpu package)', () => {
  /** Gives the app the project's copy of `webgpu` (Dawn; its own dependencies resolve from the project). */
  const linkWebgpu = () => {
    const link = join(app, 'node_modules/webgpu');
    if (!existsSync(link)) symlinkSync(join(projectRoot, 'node_modules/webgpu'), link, 'dir');
  };

  it('nodeDevice() without the webgpu package says to install it', () => {
    const r = run(process.execPath, ['--input-type=module', '-e', "await (await import('webgpu-convtranspose/node')).nodeDevice();"], app);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('npm install webgpu');
  });

  it('the README\'s Node example (test/node/smoke.mjs) matches the CPU reference on every path, both forms', () => {
    linkWebgpu();
    cpSync(join(projectRoot, 'test/node/smoke.mjs'), join(app, 'smoke.mjs'));
    const r = run(process.execPath, ['smoke.mjs'], app, SWIFTSHADER_ENV);
    if (r.status !== 0) expect.fail(`test/node/smoke.mjs exited ${r.status ?? r.signal}:\n${r.output}`);
    expect(r.stdout).toMatch(/^node smoke: all \d+ paths/m);
    expect(r.stdout).not.toMatch(/FAIL/);
  });

  it('README.md shows exactly the example that smoke.mjs runs', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const at = readme.indexOf('**In Node**');
    expect(at, 'README.md: no "**In Node**" paragraph').toBeGreaterThanOrEqual(0);
    const block = readme.slice(at).match(/```js\n([\s\S]*?)```/)?.[1];
    expect(block, 'README.md: no ```js block after "**In Node**"').toBeTruthy();
    const smoke = readFileSync(join(projectRoot, 'test/node/smoke.mjs'), 'utf8');
    expect(smoke.includes(block!), 'the README\'s Node example is not verbatim in test/node/smoke.mjs').toBe(true);
  });

  it('nodeDevice() without an adapter names the environment variables and the package', () => {
    linkWebgpu();
    const r = run(process.execPath, ['--input-type=module', '-e', "await (await import('webgpu-convtranspose/node')).nodeDevice();"], app,
      { LD_LIBRARY_PATH: '', VK_ICD_FILENAMES: join(work, 'no-such-icd.json') });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('found no WebGPU adapter');
    for (const s of ['LD_LIBRARY_PATH=/usr/lib/chromium', 'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json', '`webgpu` package']) {
      expect(r.output).toContain(s);
    }
  });
});

describe('in a browser, bundled by Vite', () => {
  let server: Server | undefined;
  afterAll(() => { server?.close(); });

  it('runs every path, one-shot and prepared, against the CPU reference in headless Chromium', async () => {
    ok(process.execPath, [join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], app);
    const bundle = readdirSync(join(app, 'dist/assets')).filter((f) => f.endsWith('.js'));
    expect(bundle.length).toBe(1);
    expect(readFileSync(join(app, 'dist/assets', bundle[0]), 'utf8')).not.toMatch(/from\s*["']webgpu["']|import\(["']webgpu["']\)/);

    // A static server for the built app on localhost (a secure context, which WebGPU needs).
    const root = join(app, 'dist');
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
      const file = join(root, path === '/' ? 'index.html' : path);
      if (!file.startsWith(root) || !existsSync(file)) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;

    const puppeteer = (await import('puppeteer')).default;
    const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`http://localhost:${port}/`, { waitUntil: 'load' });
      await page.waitForFunction('window.appResult !== undefined', { timeout: 90_000 });
      const result = await page.evaluate(() => (window as unknown as { appResult: { ok: boolean; lines: string[] } }).appResult);
      if (!result.ok) expect.fail(`consumer app in Chromium:\n${result.lines.join('\n')}\n${errors.join('\n')}`);
      expect(result.lines.filter((l) => l.startsWith('PASS')).length).toBeGreaterThanOrEqual(4);
    } finally {
      await browser.close();
    }
  });
});
