/**
 * stripWgsl (scripts/wgsl-strip.ts), which shrinks the WGSL of the library build: on every .wgsl file of the
 * project it must remove comments and layout only, token for token, and on made-up input it must handle what
 * the project's shaders do not use yet (block comments, nested; CRLF).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stripWgsl } from '../scripts/wgsl-strip.mjs';
import { projectRoot } from '../scripts/browser.mjs';
import { wgslFiles } from './support/wgsl-files';

const FILES = wgslFiles();
/** Tokens as text: line comments dropped by a plain regex (the files have no block comments), whitespace runs as one space. */
const tokens = (s: string) => s.replace(/\/\/[^\n]*/g, '').replace(/\s+/g, ' ').trim();

describe('stripWgsl', () => {
  it('finds the project\'s shaders', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(10);
  });

  it.each(FILES.map((f) => [relative(projectRoot, f), f]))('%s: same tokens, no comments, no blank or indented lines, idempotent', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    expect(source, 'a block comment: extend the token check before relying on it').not.toMatch(/\/\*/);
    const out = stripWgsl(source);
    expect(tokens(out)).toBe(tokens(source));
    expect(out).not.toMatch(/\/\/|\/\*/);
    expect(out.split('\n').slice(0, -1).filter((line) => line === '' || /^\s|\s$|[ \t]{2}/.test(line))).toEqual([]);
    expect(stripWgsl(out)).toBe(out);
    expect(out.length).toBeLessThan(source.length);
  });

  it('removes nested block comments and trailing comments, keeps a separator and one newline per line', () => {
    const src = '@group(0) @binding(1)/* a /* nested */ b */var<storage> x: array<f32>;\r\n\r\n  override  N: u32 = 4u; // count\r\n/*\nmany\nlines */fn f() {}\n';
    expect(stripWgsl(src)).toBe('@group(0) @binding(1) var<storage> x: array<f32>;\noverride N: u32 = 4u;\nfn f() {}\n');
    expect(stripWgsl('// only\n\n   \n')).toBe('');
    expect(() => stripWgsl('fn f() {} /* /* */')).toThrow(/unterminated block comment/);
  });
});
