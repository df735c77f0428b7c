/**
 * `auto`: the candidates (a path and a configuration) that fit the device, ranked by the cost model (rank.ts);
 * the close ones timed on the device when tuning is on (tune.ts), else the model's first.
 */
import { fitsDevice, type Candidate } from './chunked';
import type { PlanContext } from './context';
import { rankCandidates } from './rank';
import { tunedChoice, type Timed } from './tune';

/** The layer `build` makes of the candidate `auto` picks. `tune`: time the close ones (on a GPU adapter, configurations too). */
export function autoChoice<L extends Timed>(
  device: GPUDevice, ctx: PlanContext, tune: boolean, build: (c: Candidate) => Promise<L>,
): Promise<L> {
  const timed = tune && ctx.r.batch > 0;
  // Timed: every family's candidates (on a CPU adapter, families offer their rule alone unless it is the cost
  // model's guess between kernels, as phase's pixels kernel is).
  const fitting = rankCandidates(ctx, timed).filter((c) => fitsDevice(ctx, c));
  if (fitting.length === 0) return build(rankCandidates(ctx)[0]); // none fits: building the model's first throws why
  return timed ? tunedChoice(device, ctx, fitting, build) : build(fitting[0]);
}
