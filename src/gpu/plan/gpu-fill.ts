/**
 * How much work fills a discrete GPU: the one figure behind the GPU rules and the GPU prices, with what each
 * rule aims for expressed in it, so that a new GPU measurement changes one number.
 */

/**
 * Invocations below which a dispatch leaves a discrete GPU's compute units idle: fitted with the gpu prices
 * (plan/cost.ts; 32768 on the H200: 132 SMs, about 8 warps each, too few to hide memory latency below it).
 */
export const GPU_FILL_INVOCATIONS = 32768;

/**
 * What the phase family's GPU rule shrinks its register block and splits K to reach: half the fill, since its
 * invocations each hold a register block of several outputs (the plans measured on the H200,
 * ../shared/gpu/h200-2026-12-04, used this).
 */
export const PHASE_RULE_INVOCATIONS = GPU_FILL_INVOCATIONS / 2;

/**
 * Workgroups the tiled family's rule splits K to reach: the fill in workgroups of the default size (64); a
 * tile's workgroup has 64 to 256 threads, so this also leaves a few resident workgroups per SM.
 */
export const TILED_RULE_WORKGROUPS = GPU_FILL_INVOCATIONS / 64;
