// Starts what every headless run of this project needs: a Vite dev server for the project root on a free
// localhost port (WebGPU needs a secure context, and localhost is one) and headless Chromium with WebGPU on.
// Used by the browser tests, `npm run conformance` and `npm run bench`.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Flags for headless Chromium: WebGPU on (SwiftShader where there is no GPU), no traffic to the outside. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Finds a Chromium: $CHROME_PATH, then Debian's /usr/bin/chromium, then puppeteer's own cache. */
export function findChromium() {
  const tried = [];
  const env = process.env.CHROME_PATH;
  if (env) {
    if (existsSync(env)) return env;
    tried.push(`CHROME_PATH=${env} (does not exist)`);
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(p)) return p;
    tried.push(p);
  }
  const cache = process.env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer');
  for (const kind of ['chrome', 'chrome-headless-shell']) {
    const dir = join(cache, kind);
    if (!existsSync(dir)) { tried.push(dir); continue; }
    for (const v of readdirSync(dir).sort().reverse()) {
      for (const bin of ['chrome-linux64/chrome', 'chrome-headless-shell-linux64/chrome-headless-shell']) {
        const p = join(dir, v, bin);
        if (existsSync(p)) return p;
      }
    }
    tried.push(dir);
  }
  throw new Error(
    `No Chromium found. Tried: ${tried.join(', ')}.\n` +
    'Install one (Debian: apt-get install -y chromium) or set CHROME_PATH to a Chrome/Chromium binary.',
  );
}

/**
 * Starts the Vite server and headless Chromium. Returns the base URL and a close() that stops both.
 * @param {{ port?: number, log?: (msg: string) => void }} [options]
 */
export async function startBrowserSession(options = {}) {
  const { createServer } = await import('vite');
  const puppeteer = (await import('puppeteer')).default;
  const server = await createServer({
    root: projectRoot,
    configFile: join(projectRoot, 'vite.config.ts'),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: options.port ?? 0, strictPort: false, hmr: false, watch: null },
  });
  await server.listen();
  const address = server.httpServer?.address();
  const baseUrl = `http://localhost:${typeof address === 'object' && address ? address.port : options.port}/`;
  let browser;
  try {
    browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS, protocolTimeout: 600_000 });
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    baseUrl,
    server,
    browser,
    /** Opens `path` (relative to the project root) in a new page, forwarding the page's console errors to `log`. */
    async open(path) {
      const page = await browser.newPage();
      page.on('pageerror', (err) => options.log?.(`[page error] ${err.message}`));
      page.on('console', (msg) => { if (msg.type() === 'error') options.log?.(`[page console] ${msg.text()}`); });
      await page.goto(baseUrl + path.replace(/^\//, ''), { waitUntil: 'load' });
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}
