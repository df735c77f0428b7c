// Must NOT type-check (test/package.test.ts): misspelt options are errors only when the package's types
// resolve; were they `any`, this file would pass.
import { convTranspose } from 'webgpu-convtranspose';
import { nodeDevice } from 'webgpu-convtranspose/node';

const x = { data: new Float32Array(16), shape: [1, 1, 4, 4] };
const w = { data: new Float32Array(9), shape: [1, 1, 3, 3] };
export const y = convTranspose(x, w, { strid: 2 });
export const device = nodeDevice({ dawnOption: [] });
