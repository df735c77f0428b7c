/**
 * The package as a user gets it: `npm pack` (its prepack builds), the tarball installed into a throw-away app
 * in a temp dir (offline: the package has no dependencies), then in that app
 * - what the tarball ships (dist, README, LICENSE; no src/, no shaders/), its WGSL stripped of comments;
 * - type checks under TypeScript 5.9 with @webgpu/types and TypeScript 7 without it, each under
 *   moduleResolution bundler, node16 and nodenext, strict, skipLibCheck off: the app's sources
 *   (test/package-app/src: every entry's types, results uploaded with writeBuffer without a cast) check clean,
 *   and typo.ts gets exactly its five errors (were the package's types `any`, it would pass);
 * - `require()` of both entries where Node has require(esm);
 * - Node on Dawn (the `webgpu` package, SwiftShader): test/node/smoke.mjs, the README's Node example, in both
 *   the one-shot and the prepared form on every path, against the CPU reference; and the errors a user gets
 *   without the `webgpu` package or without an adapter;
 * - a Vite build of test/package-app, opened in headless Chromium: every path, both forms, against the
 *   package's CPU reference.
 * TypeScript (7, and 5.9 as the devDependency `typescript-5`), @webgpu/types and Vite are the project's own, run
 * on the app's directory, so nothing is downloaded.
 * KEEP_PACKAGE_APP=1 keeps the temp dir and prints where it is.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium, projectRoot } from '../scripts/browser.mjs';
import { stripWgsl } from '../scripts/wgsl-strip.mjs';
import { wgslFiles } from './support/wgsl-files';

const SWIFTSHADER_ENV = { LD_LIBRARY_PATH: '/usr/lib/chromium', VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' };
const RESOLVERS = [
  { resolver: 'bundler', module: 'esnext', moduleResolution: 'bundler' },
  { resolver: 'node16', module: 'node16', moduleResolution: 'node16' },
  { resolver: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext' },
] as const;
/**
 * The set-ups the README's TypeScript section names: TypeScript 5.x needs @webgpu/types for WebGPU's types;
 * TypeScript 7's lib.dom has them, and @webgpu/types there would collide with it, so it is left out.
 */
const COMPILERS = [
  { compiler: 'TypeScript 5.9 + @webgpu/types', tsc: 'node_modules/typescript-5/bin/tsc', version: /^Version 5\.9\./, types: ['@webgpu/types'] },
  { compiler: 'TypeScript 7', tsc: 'node_modules/typescript/bin/tsc', version: /^Version 7\./, types: [] },
] as const;
const SETUPS = COMPILERS.flatMap((c) => RESOLVERS.map((r) => ({ ...c, ...r })));
/** What typo.ts must get wrong under every set-up: one pattern per error it holds. */
const TYPOS = [
  /typo\.ts.*'strid'/, /typo\.ts.*'dawnOption'/, /typo\.ts.*'maxLayer'/,
  /typo\.ts.*'Float32Array<ArrayBuffer>' is not assignable to type 'string'/,
  /typo\.ts.*'readonly number\[\]' is not assignable to parameter of type '(GPU)?AllowSharedBufferSource'/,
];

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
  // @webgpu/types as a TypeScript 5.x user installs it (the project's copy); the TypeScript 7 checks leave it out.
  mkdirSync(join(app, 'node_modules/@webgpu'), { recursive: true });
  symlinkSync(join(projectRoot, 'node_modules/@webgpu/types'), join(app, 'node_modules/@webgpu/types'), 'dir');
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

  /** Writes tsconfig.<name>.json for one set-up (`sources`: its `include`), strict, skipLibCheck off. */
  const tsconfig = (name: string, setup: { module: string; moduleResolution: string; types: readonly string[] }, sources: object): string => {
    const compilerOptions = {
      target: 'ES2022', module: setup.module, moduleResolution: setup.moduleResolution, lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      types: setup.types, strict: true, noEmit: true, skipLibCheck: false,
    };
    writeFileSync(join(app, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, ...sources }, null, 2));
    return `tsconfig.${name}.json`;
  };

  it('ships its WGSL without comments or indentation (scripts/wgsl-strip.mjs)', () => {
    const bundle = readFileSync(join(app, 'node_modules/webgpu-convtranspose/dist/webgpu-convtranspose.js'), 'utf8');
    const sources = wgslFiles().map((file) => readFileSync(file, 'utf8'));
    // Each shader the library imports is in the bundle as the string literal of its stripped text (bench-only ones are absent).
    expect(sources.filter((s) => bundle.includes(JSON.stringify(stripWgsl(s)))).length).toBeGreaterThanOrEqual(10);
    expect(sources.filter((s) => stripWgsl(s) !== s && bundle.includes(JSON.stringify(s))).length).toBe(0);
  });

  it.each(SETUPS)('type-checks under $compiler, moduleResolution $resolver, skipLibCheck off: typo.ts\'s errors only', (setup) => {
    const tsc = join(projectRoot, setup.tsc);
    expect(ok(process.execPath, [tsc, '-v'], app)).toMatch(setup.version);
    // One program: the app's sources, which must check clean, and typo.ts, which must fail exactly as written.
    const config = tsconfig(`${setup.types.length ? 'ts5' : 'ts7'}-${setup.resolver}`, setup, { include: ['src', 'typo.ts'] });
    const r = run(process.execPath, [tsc, '-p', config, '--listFiles'], app);
    const errors = r.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors.filter((line) => !line.startsWith('typo.ts(')), `errors outside typo.ts under ${setup.compiler}, ${setup.resolver}`).toEqual([]);
    expect(r.status, `typo.ts type-checked under ${setup.compiler}, ${setup.resolver}: the package's types resolve to any`).not.toBe(0);
    for (const error of TYPOS) expect(r.output).toMatch(error);
    expect(errors, r.output).toHaveLength(TYPOS.length);
    // TypeScript 7 runs on its own lib.dom: nothing (no `/// <reference types>` in the package) pulls @webgpu/types in.
    expect(r.stdout.includes('@webgpu/types'), `@webgpu/types in the program under ${setup.compiler}`).toBe(setup.types.length > 0);
  });

  it('under TypeScript 5.9 without @webgpu/types, the check fails on the WebGPU types (the README\'s set-up is needed)', () => {
    const r = run(process.execPath, [join(projectRoot, COMPILERS[0].tsc), '-p', tsconfig('ts5-no-webgpu-types', { ...RESOLVERS[0], types: [] }, { include: ['src'] })], app);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/Cannot find name 'GPUDevice'/);
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
