// Deno for the Deno tier: the binary of the pinned npm package `deno`, found without its postinstall script
// (npm 11 runs no dependency install scripts, so node_modules/.bin/deno points at a file that was never made):
// the binary ships in the platform package `@deno/<target>` that `deno` depends on.
import { mkdtempSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The Deno binary: $DENO_PATH, else the one the `deno` package installed for this platform. */
export function findDeno() {
  const env = process.env.DENO_PATH;
  if (env) {
    if (existsSync(env)) return env;
    throw new Error(`DENO_PATH=${env} does not exist`);
  }
  const target = process.platform === 'linux' ? `linux-${process.arch}-glibc` : `${process.platform}-${process.arch}`;
  const exe = process.platform === 'win32' ? 'deno.exe' : 'deno';
  let dir;
  try {
    dir = dirname(require.resolve(`@deno/${target}/package.json`));
  } catch {
    throw new Error(`No Deno binary: the npm package @deno/${target} is not installed. Run npm ci (the devDependency \`deno\` brings it) or set DENO_PATH.`);
  }
  const bin = join(dir, exe);
  if (!existsSync(bin)) throw new Error(`No Deno binary at ${bin}. Run npm ci or set DENO_PATH.`);
  return bin;
}

/** The environment Deno's WebGPU needs: XDG_RUNTIME_DIR set (Deno's wgpu fails without one), a temp dir if unset. */
export function denoEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  if (!env.XDG_RUNTIME_DIR) env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'deno-xdg-'));
  env.NO_COLOR = '1';
  return env;
}
