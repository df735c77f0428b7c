// The size of a minimal one-shot app as a user's bundler makes it: the package packed (`npm pack`, whose prepack
// builds it), installed into a throw-away app whose only code is one convTranspose call, and that app built by
// Vite for production (minified). Prints the app's JavaScript, raw and gzip (level 9), in kB (1000 bytes).
// Usage: node scripts/bundle-size.mjs   (KEEP_BUNDLE_APP=1 keeps the temp dir)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { projectRoot } from './browser.mjs';

const APP = `import { convTranspose } from 'webgpu-convtranspose';

const y = await convTranspose(
  { data: new Float32Array(16).fill(1), shape: [1, 1, 4, 4] },
  { data: new Float32Array(9).fill(1), shape: [1, 1, 3, 3] },
  { stride: 2 },
);
document.body.textContent = \`[\${y.shape}]: \${y.data.join(' ')}\`;
`;

const work = mkdtempSync(join(tmpdir(), 'webgpu-convtranspose-size-'));
try {
  const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe' });
  sh('npm', ['pack', '--pack-destination', work, '--no-fund'], projectRoot);
  const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz')));
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'one-shot', private: true, type: 'module' }));
  writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="/main.js"></script>\n');
  writeFileSync(join(app, 'main.js'), APP);
  sh('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
  await build({ root: app, configFile: false, logLevel: 'warn', build: { target: 'es2022' } });
  const assets = join(app, 'dist/assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(assets, f)));
  const raw = js.reduce((n, b) => n + b.length, 0);
  const gzip = js.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  console.log(`minimal one-shot app: ${(raw / 1000).toFixed(1)} kB minified, ${(gzip / 1000).toFixed(1)} kB gzip (${js.length} file(s))`);
} finally {
  if (process.env.KEEP_BUNDLE_APP) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
