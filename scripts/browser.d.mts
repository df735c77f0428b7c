import type { Browser, Page } from 'puppeteer';
import type { ViteDevServer } from 'vite';
export declare const projectRoot: string;
export declare const CHROMIUM_ARGS: string[];
export declare function findChromium(): string;
export declare function findFirefox(): string;
export declare const FIREFOX_PREFS: Record<string, boolean>;
export type BrowserName = 'chromium' | 'firefox';
export declare const BROWSERS: BrowserName[];
export declare function browserName(name?: string): BrowserName;
export declare function launchBrowser(name?: string): Promise<Browser>;
export interface BrowserSession {
  baseUrl: string;
  server: ViteDevServer;
  browser: Browser;
  browserName: BrowserName;
  open(path: string): Promise<Page>;
  close(): Promise<void>;
}
export declare function startBrowserSession(options?: { port?: number; log?: (msg: string) => void; browser?: string }): Promise<BrowserSession>;
