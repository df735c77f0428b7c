import type { Browser, Page } from 'puppeteer';
import type { ViteDevServer } from 'vite';
export declare const projectRoot: string;
export declare const CHROMIUM_ARGS: string[];
export declare function findChromium(): string;
export interface BrowserSession {
  baseUrl: string;
  server: ViteDevServer;
  browser: Browser;
  open(path: string): Promise<Page>;
  close(): Promise<void>;
}
export declare function startBrowserSession(options?: { port?: number; log?: (msg: string) => void }): Promise<BrowserSession>;
