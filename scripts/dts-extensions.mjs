// Post-processes the declarations tsc emits (dist/types) so they resolve under every moduleResolution a
// consumer may use: `bundler`, `node16` and `nodenext`. The sources import each other without extensions
// (`from './gpu/layer'`), which Vite and `bundler` resolution accept, and tsc copies those specifiers into the
// .d.ts files as written. Under node16/nodenext an extensionless relative import in an ESM .d.ts is an
// error (TS2834), hidden by skipLibCheck, which then silently turns every export into `any`.
// So every relative specifier gets the extension Node would need: `./x` -> `./x.js` when x.d.ts exists,
// `./dir` -> `./dir/index.js` when dir/index.d.ts exists. Rewriting the emitted files (rather than bundling
// them into one) keeps tsc's output otherwise untouched, and needs no .d.ts bundler, which would have to run
// on TypeScript's JS API (TypeScript 7 here is the native compiler). The sources stay as they are.
// Fails, naming the file, on a relative specifier that resolves to nothing, a Vite-only one (`?raw`), or a
// `/// <reference types>` directive (vite/client, or @webgpu/types, which a TypeScript 7 user does not install
// and whose declarations collide with TypeScript 7's lib.dom): anything a consumer's type check could not follow.
// WebGPU's types are the consumer's globals (README, "TypeScript").
// Usage: node scripts/dts-extensions.mjs [dir]   (default dist/types)
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'dist/types');
if (!existsSync(root)) throw new Error(`dts-extensions: ${root} does not exist; run tsc -p tsconfig.build.json first`);

/** All .d.ts files under `dir`. */
function declarations(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return declarations(path);
    return name.endsWith('.d.ts') ? [path] : [];
  });
}

// `from '...'`, `import('...')`, `import '...'` (export ... from is covered by `from`).
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\2/g;
const problems = [];
let rewritten = 0;

for (const file of declarations(root)) {
  const text = readFileSync(file, 'utf8');
  const where = relative(process.cwd(), file);
  for (const [, types] of text.matchAll(/\/\/\/\s*<reference\s+types=["']([^"']+)["']/g)) problems.push(`${where}: references ${types} types`);
  const out = text.replace(SPECIFIER, (whole, lead, quote, spec) => {
    if (!spec.startsWith('./') && !spec.startsWith('../')) return whole;
    if (spec.includes('?')) {
      problems.push(`${where}: Vite-only import ${spec} in the declarations`);
      return whole;
    }
    const base = resolve(dirname(file), spec);
    let target;
    if (spec.endsWith('.js') && existsSync(base.replace(/\.js$/, '.d.ts'))) target = spec;
    else if (existsSync(`${base}.d.ts`)) target = `${spec}.js`;
    else if (existsSync(join(base, 'index.d.ts'))) target = `${spec}/index.js`;
    else {
      problems.push(`${where}: ${spec} resolves to no declaration file`);
      return whole;
    }
    if (target !== spec) rewritten++;
    return `${lead}${quote}${target}${quote}`;
  });
  if (out !== text) writeFileSync(file, out);
}

if (problems.length) {
  console.error(`dts-extensions: declarations a consumer could not resolve:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`dts-extensions: ${rewritten} relative import(s) given extensions under ${relative(process.cwd(), root) || '.'}`);
