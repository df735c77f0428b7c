import { startBrowserSession } from './browser.mjs';
import { readFileSync } from 'node:fs';
const s = await startBrowserSession({ log: (m) => console.error(m) });
try {
  const demo = await s.browser.newPage();
  await demo.setViewport({ width: 1280, height: 900 });
  await demo.goto(s.baseUrl + 'index.html', { waitUntil: 'load' });
  await new Promise((r) => setTimeout(r, 15000));
  await demo.screenshot({ path: '/work/wt/notes/screens/final-demo-1280x900.png' });
  await demo.screenshot({ path: '/work/wt/notes/screens/final-demo-full.png', fullPage: true });
  console.log('demo scrollWidth', await demo.evaluate(() => document.documentElement.scrollWidth));
  const bench = await s.browser.newPage();
  await bench.setViewport({ width: 1280, height: 900 });
  await bench.goto(s.baseUrl + 'bench/index.html', { waitUntil: 'load' });
  await bench.waitForFunction('window.benchApi !== undefined', { timeout: 60000 });
  const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  await bench.evaluate((r) => window.benchApi.show(r), report);
  await new Promise((r) => setTimeout(r, 1000));
  await bench.screenshot({ path: '/work/wt/notes/screens/final-bench-1280x900.png' });
  await bench.screenshot({ path: '/work/wt/notes/screens/final-bench-full.png', fullPage: true });
  console.log('bench scrollWidth', await bench.evaluate(() => document.documentElement.scrollWidth));
} finally { await s.close(); }
