/**
 * Shrinks WGSL for the library build: a Vite plugin that loads `*.wgsl?raw` imports (in any folder) with their
 * comments, blank lines, indentation and runs of spaces removed. The .wgsl files on disk keep all of it, and the
 * dev server and the tests load them unchanged (the plugin applies to `vite build` only), so shaders stay
 * readable where they are debugged. Each remaining line stays a line, so compile errors still point at lines.
 * Types: wgsl-strip.d.mts. Checked by test/wgsl-strip.test.ts and, in the packed build, test/package.test.ts.
 */
import { readFileSync } from 'node:fs';

/** WGSL's line breaks (a `//` comment ends at any of them). */
const LINE_BREAK = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/;

/**
 * WGSL source without comments (`//` to the end of the line; `/* *\/`, which nests), blank lines, leading and
 * trailing whitespace, or runs of spaces and tabs inside a line. Safe because WGSL has no string literals:
 * `//` and `/*` always start a comment, and whitespace only separates tokens.
 */
export function stripWgsl(source) {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const two = source.slice(i, i + 2);
    if (two === '//') {
      while (i < source.length && !LINE_BREAK.test(source[i])) i++;
    } else if (two === '/*') {
      let depth = 0;
      let newline = false;
      do {
        const pair = source.slice(i, i + 2);
        if (pair === '/*') { depth++; i += 2; } else if (pair === '*/') { depth--; i += 2; } else {
          if (LINE_BREAK.test(source[i])) newline = true;
          i++;
        }
        if (i >= source.length && depth > 0) throw new Error('stripWgsl: unterminated block comment');
      } while (depth > 0);
      out += newline ? '\n' : ' '; // the comment still separates the tokens around it
    } else {
      out += source[i++];
    }
  }
  const lines = out.split(LINE_BREAK).map((line) => line.replace(/\s+/g, ' ').trim()).filter((line) => line !== '');
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * The Vite plugin: `import code from './x.wgsl?raw'` gives stripWgsl of the file, in `vite build` only.
 * @returns {import('vite').Plugin}
 */
export function stripWgslComments() {
  return {
    name: 'strip-wgsl-comments',
    apply: 'build',
    enforce: 'pre',
    load(id) {
      const [file, query] = id.split('?', 2);
      if (query !== 'raw' || !file.endsWith('.wgsl')) return null;
      this.addWatchFile(file);
      // No source map, as Vite's own `?raw` loader: the WGSL is data, not code to step through.
      return { code: `export default ${JSON.stringify(stripWgsl(readFileSync(file, 'utf8')))};`, map: { mappings: '' } };
    },
  };
}
