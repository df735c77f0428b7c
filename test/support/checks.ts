/**
 * The assertion of every in-page check list (test/browser/*-checks.ts): enough checks ran, and none failed,
 * each failure listed with its detail. CHECK_REPORT=1 prints every check, passed or not.
 */
import { expect } from 'vitest';
import type { CheckResult } from '../browser/api-checks';

export function expectChecksPass(results: readonly CheckResult[], atLeast: number): void {
  if (process.env.CHECK_REPORT) for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.detail}`);
  expect(results.length).toBeGreaterThanOrEqual(atLeast);
  expect(results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.detail}`)).toEqual([]);
}
