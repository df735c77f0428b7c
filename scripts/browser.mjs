// Starts what every headless run of this project needs: a Vite dev server for the project root on a free
// localhost port (WebGPU needs a secure context, and localhost is one) and a headless browser with WebGPU on:
// Chromium (Dawn), or Firefox (wgpu, WGSL compiled by Naga) through puppeteer's WebDriver BiDi support.
// The browser is `options.browser`, else $TEST_BROWSER, else Chromium.
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

/** Finds a Firefox with WebGPU (153 ESR or later): $FIREFOX_PATH, then Debian's firefox-esr, then firefox. */
export function findFirefox() {
  const tried = [];
  const env = process.env.FIREFOX_PATH;
  if (env) {
    if (existsSync(env)) return env;
    tried.push(`FIREFOX_PATH=${env} (does not exist)`);
  }
  for (const p of ['/usr/bin/firefox-esr', '/usr/bin/firefox']) {
    if (existsSync(p)) return p;
    tried.push(p);
  }
  throw new Error(
    `No Firefox found. Tried: ${tried.join(', ')}.\n` +
    'Install one (Debian: apt-get install -y firefox-esr mesa-vulkan-drivers) or set FIREFOX_PATH to a Firefox binary.',
  );
}

/**
 * Firefox preferences: WebGPU on, also on drivers its blocklist refuses (lavapipe and SwiftShader, the CPU Vulkan
 * drivers of a machine with no GPU), and no traffic to the outside.
 */
export const FIREFOX_PREFS = {
  'dom.webgpu.enabled': true,
  'gfx.webgpu.ignore-blocklist': true,
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'network.captive-portal-service.enabled': false,
};

export const BROWSERS = ['chromium', 'firefox'];

/** The browser a run uses: `name` if given, else $TEST_BROWSER, else chromium. Throws on any other name. */
export function browserName(name) {
  const chosen = name ?? (process.env.TEST_BROWSER || 'chromium');
  if (!BROWSERS.includes(chosen)) throw new Error(`Unknown browser "${chosen}" (TEST_BROWSER or --browser): one of ${BROWSERS.join(', ')}`);
  return chosen;
}

/** Launches headless `name` (see browserName) with WebGPU on. */
export async function launchBrowser(name) {
  const puppeteer = (await import('puppeteer')).default;
  if (browserName(name) === 'firefox') {
    return puppeteer.launch({
      browser: 'firefox', executablePath: findFirefox(), headless: true, extraPrefsFirefox: FIREFOX_PREFS, protocolTimeout: 600_000,
    });
  }
  return puppeteer.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS, protocolTimeout: 600_000 });
}

/**
 * Starts the Vite server and a headless browser (options.browser, else $TEST_BROWSER, else Chromium). Returns the base URL and a close() that stops both.
 * @param {{ port?: number, log?: (msg: string) => void, browser?: string }} [options]
 */
export async function startBrowserSession(options = {}) {
  const { createServer } = await import('vite');
  const name = browserName(options.browser);
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
    browser = await launchBrowser(name);
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    baseUrl,
    server,
    browser,
    browserName: name,
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
