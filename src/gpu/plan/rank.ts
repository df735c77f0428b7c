/**
 * The cost model's half of `auto`: every family's configurations priced (cost.ts) and ranked, cheapest first.
 * Tuning (tune.ts) times the close ones on the device.
 */
import { GPU_PATHS, familyOf } from '../kernels/registry';
import { estimate } from './cost';
import type { Candidate } from './chunked';
import type { PlanContext } from './context';

export interface Ranked extends Candidate {
  /** Estimated cost, comparable across candidates of one adapter class. */
  readonly cost: number;
}

/**
 * Candidates priced by the cost model, cheapest first: each family's rule (config absent: made per chunk), and
 * with `all`, also the other configurations its family would time (`candidates`).
 */
export function rankCandidates(ctx: PlanContext, all = false): Ranked[] {
  const ranked: Ranked[] = [];
  for (const path of GPU_PATHS) {
    const family = familyOf(path);
    if (family.unsupported?.(ctx)) continue;
    const configs = all ? family.candidates(ctx) : [family.configFor(ctx)];
    configs.forEach((config, i) => {
      ranked.push({ path, ...(i === 0 ? {} : { config }), cost: estimate(ctx.adapter, family.work(ctx, config)) });
    });
  }
  return ranked.sort((a, b) => a.cost - b.cost);
}
