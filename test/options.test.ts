/**
 * The one front door for options (src/options.ts), without a GPU: the table gives every entry point's keys
 * (dataType on every spelling), each option's check names it, unknown keys say where they belong, each option
 * is checked and the problem resolved once per call (counted through spies on the checks), a bare typed array
 * where a tensor is expected is named on every entry point, and each spelling's activation names and defaults.
 */
import { describe, expect, it, vi } from 'vitest';

// Spies on the checks and the resolver, counted per call (the modules are otherwise unchanged).
vi.mock('../src/shape', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/shape')>();
  return { ...m, resolveConvTranspose: vi.fn(m.resolveConvTranspose) };
});
vi.mock('../src/gpu/kernels/registry', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/gpu/kernels/registry')>();
  return { ...m, checkPathOption: vi.fn(m.checkPathOption) };
});
vi.mock('../src/half', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/half')>();
  return { ...m, checkDataType: vi.fn(m.checkDataType) };
});
vi.mock('../src/activation', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/activation')>();
  return { ...m, resolveActivation: vi.fn(m.resolveActivation), resolveTfjsActivation: vi.fn(m.resolveTfjsActivation), resolveWebnnActivation: vi.fn(m.resolveWebnnActivation) };
});

const { resolveConvTranspose } = await import('../src/shape');
const { checkPathOption } = await import('../src/gpu/kernels/registry');
const { checkDataType } = await import('../src/half');
const activation = await import('../src/activation');
const { ENTRY_POINTS, LAYER_KEYS, RUN_KEYS, acceptedKeys, checkOptions } = await import('../src/options');
const { convTranspose, createConvTranspose } = await import('../src/index');
const { tfjsConv2dTranspose, createTfjsConv2dTranspose, tfjsConv3dTranspose, mapTfjsConv2dTranspose } = await import('../src/frontends/tfjs');
const { webnnConvTranspose2d, createWebnnConvTranspose2d } = await import('../src/frontends/webnn');

/** A device that stops every call at its first GPU step (reading its limits), after all the checks. */
const STOP = 'stopped at the first GPU step';
const stopDevice = () => ({ createBuffer() {}, lost: new Promise(() => {}), get limits(): never { throw new Error(STOP); } }) as unknown as GPUDevice;

const t = (shape: number[]) => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)), shape });

describe('the table', () => {
  it('gives every entry point dataType, path, adapterClass, tune, activation and bias', () => {
    for (const entry of ENTRY_POINTS) {
      expect(acceptedKeys(entry), entry).toEqual(expect.arrayContaining(['dataType', 'path', 'adapterClass', 'tune', 'activation', 'bias']));
    }
  });
  it('one-shot forms take a device, prepared forms a label; every form a config', () => {
    for (const entry of ENTRY_POINTS) {
      const prepared = entry.startsWith('create');
      expect(acceptedKeys(entry).includes('device'), entry).toBe(!prepared);
      expect(acceptedKeys(entry).includes('label'), entry).toBe(prepared);
      expect(acceptedKeys(entry), entry).toContain('config');
    }
  });
  it('RUN_KEYS and LAYER_KEYS (what the TF.js and WebNN spellings share) come from it', () => {
    expect(RUN_KEYS).toEqual(['path', 'config', 'device', 'adapterClass', 'tune', 'activation', 'dataType']);
    expect(LAYER_KEYS).toEqual(['path', 'config', 'adapterClass', 'tune', 'activation', 'dataType', 'label']);
  });
  it('each spelling has its own attributes; TF.js alone takes leakyreluAlpha', () => {
    expect(acceptedKeys('convTranspose')).toEqual(expect.arrayContaining(['stride', 'pads', 'output_padding', 'filterLayout', 'inputLayout']));
    expect(acceptedKeys('tfjsConv2dTranspose')).toEqual(expect.arrayContaining(['dataFormat', 'dilations', 'dimRoundingMode', 'leakyreluAlpha']));
    expect(acceptedKeys('tfjsConv3dTranspose')).not.toContain('dimRoundingMode');
    expect(acceptedKeys('webnnConvTranspose2d')).toEqual(expect.arrayContaining(['padding', 'outputSizes', 'autoPad', 'filterLayout']));
    for (const entry of ['convTranspose', 'webnnConvTranspose2d'] as const) expect(acceptedKeys(entry)).not.toContain('leakyreluAlpha');
  });
});

describe('checkOptions', () => {
  it('fills the defaults and resolves the activation', () => {
    const o = checkOptions('convTranspose', undefined);
    expect(o).toMatchObject({ path: 'auto', tune: true, dataType: 'float32', inputLayout: 'nchw', filterLayout: 'iohw', bias: null, attributes: {} });
    expect(o.activation.name).toBe('none');
    expect(checkOptions('createConvTranspose', {}).label).toBe('convtranspose');
  });
  it.each([
    ['path', { path: 'fft' }, /^path: expected one of /],
    ['adapterClass', { adapterClass: 'npu' }, /^adapterClass: expected 'cpu' or 'gpu', got "npu"/],
    ['tune', { tune: 'yes' }, /^tune: expected a boolean, got "yes"/],
    ['dataType', { dataType: 'float64' }, /^dataType: expected 'float32' or 'float16', got "float64"/],
    ['device', { device: {} }, /^device: expected a GPUDevice, got an empty object/],
    ['filterLayout', { filterLayout: 'hwio' }, /^filterLayout: expected one of/],
    ['inputLayout', { inputLayout: 'NHWC' }, /^inputLayout: expected one of nchw, nhwc, got "NHWC"/],
    ['activation', { activation: 'swish' }, /^activation: expected one of/],
  ])('convTranspose: a bad %s is named', (_, options, message) => {
    expect(() => checkOptions('convTranspose', options)).toThrow(message);
  });
  it.each([
    ['label', { label: 3 }, /^label: expected a string, got the number 3/],
    ['config', { config: 'fast', path: 'phase' }, /^config: expected an object/],
    ['config with auto', { config: {} }, /^config: configures one path's kernels: give a path by name with it, not 'auto'/],
  ])('createConvTranspose: a bad %s is named', (_, options, message) => {
    expect(() => checkOptions('createConvTranspose', options)).toThrow(message);
  });
  it('every spelling checks dataType', () => {
    for (const entry of ENTRY_POINTS) {
      expect(checkOptions(entry, { dataType: 'float16' }).dataType).toBe('float16');
      expect(() => checkOptions(entry, { dataType: 'half' }), entry).toThrow(/^dataType: expected 'float32' or 'float16', got "half"/);
    }
  });
  it('unknown keys say which entry point or spelling they belong to', () => {
    const cases: [string, () => unknown, RegExp][] = [
      ['TF.js dataFormat on the core', () => checkOptions('convTranspose', { dataFormat: 'NHWC' }), /^dataFormat: convTranspose does not take "dataFormat": is TF\.js's spelling: use tfjsConv2dTranspose .*inputLayout/],
      ['WebNN outputSizes on the core', () => checkOptions('createConvTranspose', { outputSizes: [4, 4] }), /^outputSizes: createConvTranspose does not take "outputSizes": is WebNN's spelling: use webnnConvTranspose2d/],
      ['TF.js leakyreluAlpha on the core', () => checkOptions('convTranspose', { leakyreluAlpha: 0.1 }), /^leakyreluAlpha: .*activation: \{ name: 'leakyRelu', alpha \}/],
      ['label on the one-shot form', () => checkOptions('convTranspose', { label: 'x' }), /^label: .*only the prepared form \(createConvTranspose\) takes a label/],
      ['label on the WebNN one-shot form', () => checkOptions('webnnConvTranspose2d', { label: 'x' }), /^label: .*only the prepared form \(createWebnnConvTranspose2d\) takes a label/],
      ['device on the prepared form', () => checkOptions('createConvTranspose', { device: {} }), /^device: .*the prepared form takes the device as its first argument/],
      ['inputShape on the one-shot form', () => checkOptions('convTranspose', { inputShape: [1, 1, 2] }), /^inputShape: .*convTranspose takes the input tensor as its first argument/],
      ['a misspelt key lists what the entry point takes', () => checkOptions('convTranspose', { strid: 2 }), /^strid: unknown option of convTranspose; it takes stride, padding, .*dataType/],
    ];
    for (const [name, call, message] of cases) expect(call, name).toThrow(message);
  });
});

describe('each option is checked, and the problem resolved, once per call', () => {
  const counted = [resolveConvTranspose, checkPathOption, checkDataType, activation.resolveActivation, activation.resolveTfjsActivation, activation.resolveWebnnActivation] as unknown as ReturnType<typeof vi.fn>[];
  const counts = async (call: () => Promise<unknown>) => {
    for (const f of counted) f.mockClear();
    await expect(call()).rejects.toThrow(STOP);
    return counted.map((f) => f.mock.calls.length);
  };
  const opts = { path: 'gather' as const, dataType: 'float32' as const, tune: false };
  // [resolveConvTranspose, checkPathOption, checkDataType, core activation, TF.js activation, WebNN activation]
  it('convTranspose (which builds its layer through the same internal step as createConvTranspose)', async () => {
    expect(await counts(() => convTranspose(t([1, 2, 3, 3]), t([2, 1, 2, 2]), { ...opts, stride: 2, activation: 'relu', device: stopDevice() }))).toEqual([1, 1, 1, 1, 0, 0]);
  });
  it('createConvTranspose', async () => {
    expect(await counts(() => createConvTranspose(stopDevice(), { ...opts, inputShape: [1, 2, 3, 3], weight: t([2, 1, 2, 2]), activation: 'relu' }))).toEqual([1, 1, 1, 1, 0, 0]);
  });
  it('tfjsConv2dTranspose and createTfjsConv2dTranspose', async () => {
    const x = t([1, 3, 3, 2]), f = t([2, 2, 4, 2]);
    expect(await counts(() => tfjsConv2dTranspose(x, f, [1, 6, 6, 4], 2, 'same', { ...opts, activation: 'relu6', device: stopDevice() }))).toEqual([1, 1, 1, 0, 1, 0]);
    expect(await counts(() => createTfjsConv2dTranspose(stopDevice(), x.shape, f, [1, 6, 6, 4], 2, 'same', { ...opts, activation: 'relu6' }))).toEqual([1, 1, 1, 0, 1, 0]);
  });
  it('webnnConvTranspose2d and createWebnnConvTranspose2d', async () => {
    const x = t([1, 2, 3, 3]), f = t([2, 3, 2, 2]);
    expect(await counts(() => webnnConvTranspose2d(x, f, { ...opts, strides: [2, 2], activation: 'relu', device: stopDevice() }))).toEqual([1, 1, 1, 0, 0, 1]);
    expect(await counts(() => createWebnnConvTranspose2d(stopDevice(), x.shape, f, { ...opts, strides: [2, 2], activation: 'relu' }))).toEqual([1, 1, 1, 0, 0, 1]);
  });
});

describe('a bare array where a tensor is expected is named on every entry point', () => {
  const bare = new Float32Array(18);
  const msg = (name: string, got = 'Float32Array\\(18\\)') => new RegExp(`^${name}: expected a tensor \\{ data, shape \\}, got ${got}: give the values as \\{ data, shape \\}$`);
  const w = t([2, 1, 2, 2]);
  it.each([
    ['convTranspose input', () => convTranspose(bare as never, w), msg('input')],
    ['convTranspose weight', () => convTranspose(t([1, 2, 3, 3]), bare as never), msg('weight')],
    ['convTranspose weight as a plain array', () => convTranspose(t([1, 2, 3, 3]), [1, 2, 3] as never), msg('weight', 'Array\\(3\\)')],
    ['createConvTranspose weight', () => createConvTranspose(stopDevice(), { inputShape: [1, 2, 3, 3], weight: bare as never }), msg('weight')],
    ['tfjsConv2dTranspose x', () => tfjsConv2dTranspose(bare as never, t([2, 2, 4, 2]), [1, 6, 6, 4], 2, 'same'), msg('x')],
    ['tfjsConv2dTranspose filter', () => tfjsConv2dTranspose(t([1, 3, 3, 2]), bare as never, [1, 6, 6, 4], 2, 'same'), msg('filter')],
    ['tfjsConv3dTranspose x', () => tfjsConv3dTranspose(bare as never, t([1, 1, 1, 2, 2]), [1, 1, 1, 1, 2], 1, 'valid'), msg('x')],
    ['createTfjsConv2dTranspose filter', () => createTfjsConv2dTranspose(stopDevice(), [1, 3, 3, 2], bare as never, [1, 6, 6, 4], 2, 'same'), msg('filter')],
    ['webnnConvTranspose2d input', () => webnnConvTranspose2d(bare as never, t([2, 3, 2, 2])), msg('input')],
    ['webnnConvTranspose2d filter', () => webnnConvTranspose2d(t([1, 2, 3, 3]), bare as never), msg('filter')],
    ['createWebnnConvTranspose2d filter', () => createWebnnConvTranspose2d(stopDevice(), [1, 2, 3, 3], bare as never), msg('filter')],
  ] as [string, () => Promise<unknown>, RegExp][])('%s', async (_, call, message) => {
    await expect(Promise.resolve().then(call)).rejects.toThrow(message);
  });
  it('a bare array stays a valid bias', async () => {
    await expect(convTranspose(t([1, 2, 3, 3]), w, { bias: [0.5], device: stopDevice() })).rejects.toThrow(STOP);
    await expect(tfjsConv2dTranspose(t([1, 3, 3, 2]), t([2, 2, 4, 2]), [1, 6, 6, 4], 2, 'same', { bias: new Float32Array(4), device: stopDevice() })).rejects.toThrow(STOP);
  });
});

describe('each spelling\'s activations and defaults', () => {
  const { resolveActivation: core, resolveTfjsActivation: tfjs, resolveWebnnActivation: webnn } = activation;
  it('the core: leakyRelu 0.01, elu 1, hardSigmoid 0.2/0.5, relu6 = clamp(0, 6), clamp unbounded', () => {
    expect(core('leakyRelu')).toMatchObject({ name: 'leakyRelu', a: 0.01 });
    expect(core('elu')).toMatchObject({ name: 'elu', a: 1 });
    expect(core('hardSigmoid')).toMatchObject({ name: 'hardSigmoid', a: 0.2, b: 0.5 });
    expect(core('relu6')).toMatchObject({ name: 'clamp', a: 0, b: 6 });
    expect(core({ name: 'clamp' })).toMatchObject({ name: 'clamp', a: -Infinity, b: Infinity });
    expect(core({ name: 'clamp', min: -1, max: 1 })).toMatchObject({ name: 'clamp', a: -1, b: 1 });
    expect(() => core({ name: 'clamp', min: 2, max: 1 })).toThrow(/^activation\.min: must not exceed max \(2 > 1\)$/);
    expect(() => core({ name: 'elu', alpha: NaN })).toThrow(/^activation\.alpha: expected a number, got null$/);
  });
  it('TF.js: its fused names, leakyrelu alpha 0.2 (leakyreluAlpha), relu6, elu 1, linear', () => {
    expect(tfjs('leakyrelu')).toMatchObject({ name: 'leakyRelu', a: 0.2 });
    expect(tfjs('leakyrelu', 0.1)).toMatchObject({ name: 'leakyRelu', a: 0.1 });
    expect(tfjs('relu6')).toMatchObject({ name: 'clamp', a: 0, b: 6 });
    expect(tfjs('elu')).toMatchObject({ name: 'elu', a: 1 });
    expect(tfjs('linear').name).toBe('none');
    expect(tfjs('relu').name).toBe('relu');
    expect(tfjs('sigmoid').name).toBe('sigmoid');
    expect(() => tfjs('prelu')).toThrow(/^activation: .*'prelu' takes per-channel weights \(preluActivationWeights\)/);
    expect(() => tfjs('leakyRelu')).toThrow(/^activation: .*got "leakyRelu" \(TF\.js spells it in lower case, "leakyrelu", with leakyreluAlpha\)/);
    expect(() => tfjs({ name: 'leakyrelu', alpha: 0.1 })).toThrow(/^activation: .*leakyrelu's alpha is the option leakyreluAlpha/);
    expect(() => tfjs('tanh')).toThrow(/^activation: expected one of linear, relu, relu6, elu, leakyrelu, sigmoid \(TF\.js's fused activations\)/);
    expect(() => tfjs('relu', 0.1)).toThrow(/^leakyreluAlpha: only taken with activation 'leakyrelu', got activation "relu"/);
    expect(() => tfjs('leakyrelu', '0.1')).toThrow(/^leakyreluAlpha: expected a number/);
  });
  it('WebNN: its operators and MLOptions names, leakyRelu 0.01, elu 1, hardSigmoid 0.2/0.5, clamp minValue/maxValue', () => {
    expect(webnn('leakyRelu')).toMatchObject({ name: 'leakyRelu', a: 0.01 });
    expect(webnn({ name: 'elu', alpha: 0.5 })).toMatchObject({ name: 'elu', a: 0.5 });
    expect(webnn('hardSigmoid')).toMatchObject({ name: 'hardSigmoid', a: 0.2, b: 0.5 });
    expect(webnn({ name: 'clamp', minValue: 0, maxValue: 6 })).toMatchObject({ name: 'clamp', a: 0, b: 6 });
    expect(() => webnn('relu6')).toThrow(/^activation: .*\(WebNN has no relu6: \{ name: 'clamp', minValue: 0, maxValue: 6 \}\)/);
    expect(() => webnn({ name: 'clamp', min: 0 })).toThrow(/^activation\.min: WebNN's clamp takes minValue, maxValue \(WebNN's MLClampOptions spells it minValue\)/);
    expect(() => webnn('leakyrelu')).toThrow(/^activation: .*\(WebNN spells it "leakyRelu"\)/);
    expect(() => webnn({ name: 'clamp', minValue: 2, maxValue: 1 })).toThrow(/^activation\.minValue: must not exceed maxValue/);
  });
  it('the entry points take their own spelling only', async () => {
    const x = t([1, 3, 3, 2]), f = t([2, 2, 4, 2]);
    await expect(tfjsConv2dTranspose(x, f, [1, 6, 6, 4], 2, 'same', { activation: 'leakyRelu' as never })).rejects.toThrow(/^activation: .*TF\.js spells it in lower case/);
    await expect(webnnConvTranspose2d(t([1, 2, 3, 3]), t([2, 3, 2, 2]), { activation: 'relu6' as never })).rejects.toThrow(/^activation: .*WebNN has no relu6/);
    await expect(convTranspose(t([1, 2, 3, 3]), t([2, 1, 2, 2]), { activation: 'leakyrelu' as never })).rejects.toThrow(/^activation: expected one of relu, relu6/);
    expect(() => mapTfjsConv2dTranspose([1, 3, 3, 2], [2, 2, 4, 2], [1, 6, 6, 4], 2, 'same', { leakyreluAlpha: 0.1 } as never)).toThrow(/^leakyreluAlpha: unknown option of mapTfjsConv2dTranspose/);
  });
});
