/** The project's .wgsl files, wherever they live (shaders/ and anywhere under src/). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/browser.mjs';

function under(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return under(path);
    return name.endsWith('.wgsl') ? [path] : [];
  });
}

/** Absolute paths of every .wgsl file under shaders/ and src/. */
export function wgslFiles(): string[] {
  return ['shaders', 'src'].map((d) => join(projectRoot, d)).filter((d) => existsSync(d)).flatMap(under);
}
