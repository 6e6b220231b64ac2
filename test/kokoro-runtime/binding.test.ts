import { describe, expect, it } from 'vitest';
import { bindGraph, describeBinding, forwardingProblems, normalizeName, tryBindGraph } from '../../src-main/engine/kokoro/binding';
import type { GraphBinding, SignatureSpec, TensorSpec } from '../../src-main/engine/kokoro/binding';
import { AppError } from '../../src-shared/errors/catalogue';
import { PROSODY_INPUT_SHAPES, VOCODER_INPUT_SHAPES } from '../helpers/kokoro-fixtures';

const t = (name: string, dtype: string, shape: number[]): TensorSpec => ({ name, dtype, shape });

const PREDICTOR_SHAPES = {
  inputs: [
    ['int32', [1, 128]],
    ['float32', [1, 256]],
    ['float32', [1, 128]],
  ],
  outputs: [
    ['float32', [1, 128]],
    ['float32', [1, 128, 640]],
    ['float32', [1, 512, 128]],
  ],
} as const;

function predictor(inNames: string[], outNames: string[], idsType = 'int32'): SignatureSpec {
  return {
    inputs: PREDICTOR_SHAPES.inputs.map(([dtype, shape], i) => t(inNames[i]!, i === 0 ? idsType : dtype, [...shape])),
    outputs: PREDICTOR_SHAPES.outputs.map(([dtype, shape], i) => t(outNames[i]!, dtype, [...shape])),
  };
}

const PROSODY_OUT = (names: [string, string, string]): TensorSpec[] => [t(names[0], 'float32', [1, 512, 512]), t(names[1], 'float32', [1, 1024]), t(names[2], 'float32', [1, 1024])];
const PROSODY_IN = (names: string[]): TensorSpec[] =>
  PROSODY_INPUT_SHAPES.map((shape, i) => t(names[i]!, 'float32', [...shape]));

function vocoder(inNames: string[], outNames: [string, string]): SignatureSpec {
  return {
    inputs: VOCODER_INPUT_SHAPES.map((shape, i) => t(inNames[i]!, 'float32', [...shape])),
    outputs: outNames.map((n) => t(n, 'float32', [1, 11, 61441])),
  };
}

function pairs(b: GraphBinding, side: 'inputs' | 'outputs'): string[] {
  return b[side].map((x) => `${x.role}=${x.tensor}/${x.by}`);
}

describe('tensor names', () => {
  it('normalise case, the serving_default_ prefix and the :0 suffix', () => {
    expect(normalizeName('serving_default_Input_IDs:0')).toBe('input_ids');
    expect(normalizeName('F0')).toBe('f0');
    expect(normalizeName('StatefulPartitionedCall:1')).toBe('statefulpartitionedcall');
  });
});

describe('binding the predictor', () => {
  it('binds descriptive names (the Core AI export)', () => {
    const b = bindGraph('predictor', predictor(['input_ids', 'ref_s', 'attn_mask'], ['duration', 'd', 't_en']));
    expect(pairs(b, 'inputs')).toEqual(['ids=input_ids/name', 'ref_s=ref_s/name', 'attn=attn_mask/name']);
    expect(pairs(b, 'outputs')).toEqual(['duration=duration/name', 'd=d/name', 't_en=t_en/name']);
  });

  it('binds the card abbreviations with converter prefixes and suffixes, in any order', () => {
    const sig = predictor(['serving_default_ids:0', 'serving_default_ref_s:0', 'serving_default_attn:0'], ['duration:0', 'd:0', 't_en:0']);
    const reversed: SignatureSpec = { inputs: [...sig.inputs].reverse(), outputs: [...sig.outputs].reverse() };
    const b = bindGraph('predictor', reversed);
    expect(pairs(b, 'inputs')).toEqual(['ids=serving_default_ids:0/name', 'ref_s=serving_default_ref_s:0/name', 'attn=serving_default_attn:0/name']);
    expect(pairs(b, 'outputs')).toEqual(['duration=duration:0/name', 'd=d:0/name', 't_en=t_en:0/name']);
  });

  it('binds positional names by dtype and shape, with int64 ids', () => {
    const b = bindGraph('predictor', predictor(['serving_default_args_0:0', 'serving_default_args_1:0', 'serving_default_args_2:0'], ['output_0', 'output_1', 'output_2'], 'int64'));
    expect(pairs(b, 'inputs')).toEqual(['ids=serving_default_args_0:0/shape', 'ref_s=serving_default_args_1:0/shape', 'attn=serving_default_args_2:0/shape']);
    expect(b.inputs[0]!.dtype).toBe('int64');
    expect(pairs(b, 'outputs')).toEqual(['duration=output_0/shape', 'd=output_1/shape', 't_en=output_2/shape']);
  });

  it('keeps unknown extra outputs aside', () => {
    const sig = predictor(['ids', 'ref_s', 'attn'], ['duration', 'd', 't_en']);
    const b = bindGraph('predictor', { inputs: sig.inputs, outputs: [...sig.outputs, t('pred_aln', 'float32', [1, 128, 512])] });
    expect(b.unusedOutputs).toEqual(['pred_aln']);
    expect(describeBinding(b)).toContain('unused outputs pred_aln');
  });
});

describe('binding equal shapes', () => {
  it('binds F0 and N by name whatever their order', () => {
    const b = bindGraph('prosody', { inputs: PROSODY_IN(['d', 't_en', 'aln', 'ref_s', 'frame_mask']), outputs: PROSODY_OUT(['asr', 'N', 'F0']) });
    expect(pairs(b, 'outputs')).toEqual(['asr=asr/name', 'F0=F0/name', 'N=N/name']);
  });

  it('binds F0 before N, and spec before phase, by order when names do not say', () => {
    const p = bindGraph('prosody', { inputs: PROSODY_IN(['args_0', 'args_1', 'args_2', 'args_3', 'args_4']), outputs: PROSODY_OUT(['output_0', 'output_1', 'output_2']) });
    expect(pairs(p, 'outputs')).toEqual(['asr=output_0/shape', 'F0=output_1/order', 'N=output_2/order']);
    const v = bindGraph('vocoder', vocoder(['a0', 'a1', 'a2', 'a3', 'a4', 'a5'], ['o0', 'o1']));
    expect(pairs(v, 'inputs')).toEqual(['asr=a0/shape', 'F0=a1/order', 'N=a2/order', 'har=a3/shape', 'ref_s=a4/shape', 'frame_mask=a5/shape']);
    expect(pairs(v, 'outputs')).toEqual(['spec=o0/order', 'phase=o1/order']);
  });

  it('lets one name decide the pair: the other tensor of that shape takes the other role', () => {
    const v = bindGraph('vocoder', vocoder(['x0', 'x1', 'x2', 'x3', 'x4', 'x5'], ['output_0', 'magnitude']));
    expect(pairs(v, 'outputs')).toEqual(['spec=magnitude/name', 'phase=output_0/shape']);
    const w = bindGraph('vocoder', vocoder(['asr', 'n_pred', 'f0_pred', 'har', 'ref_s', 'frame_mask'], ['spec', 'phase']));
    expect(pairs(w, 'inputs').slice(1, 3)).toEqual(['F0=f0_pred/name', 'N=n_pred/name']);
  });
});

describe('unknown layouts', () => {
  it('fail with what was expected and what was found', () => {
    const sig: SignatureSpec = {
      inputs: [t('input_ids', 'int32', [1, 256]), t('ref_s', 'float32', [1, 256]), t('attn_mask', 'float32', [1, 256])],
      outputs: [t('duration', 'float32', [1, 256])],
    };
    const result = tryBindGraph('predictor', sig);
    expect(result.ok).toBe(false);
    let error: unknown;
    try {
      bindGraph('predictor', sig);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.code).toBe('MODEL_INVALID');
    expect(e.message).toContain('kokoro_predictor.tflite');
    expect(e.message).toContain('no input fits ids, attn');
    expect(e.message).toContain('unexpected input input_ids, attn_mask');
    expect(e.message).toContain('no output fits duration, d, t_en');
    expect(e.message).toContain('Expected inputs ids int32|int64[1,128], ref_s float32[1,256], attn float32[1,128]');
    expect(e.message).toContain('Found inputs input_ids int32[1,256], ref_s float32[1,256], attn_mask float32[1,256]');
    expect(e.data).toMatchObject({ graph: 'predictor', file: 'kokoro_predictor.tflite' });
  });

  it('reject an extra input the engine could not feed', () => {
    const sig = predictor(['ids', 'ref_s', 'attn'], ['duration', 'd', 't_en']);
    const result = tryBindGraph('predictor', { inputs: [...sig.inputs, t('speed', 'float32', [1])], outputs: sig.outputs });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toBe('unexpected input speed');
  });

  it('reject a float ids input and a wrong dtype on a matching name', () => {
    const result = tryBindGraph('predictor', predictor(['ids', 'ref_s', 'attn'], ['duration', 'd', 't_en'], 'float32'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain('no input fits ids');
  });

  it('accept unknown (-1) dimensions', () => {
    const sig = predictor(['ids', 'ref_s', 'attn'], ['duration', 'd', 't_en']);
    const dynamic: SignatureSpec = { inputs: sig.inputs.map((x) => ({ ...x, shape: [-1, ...x.shape.slice(1)] })), outputs: sig.outputs };
    expect(tryBindGraph('predictor', dynamic).ok).toBe(true);
  });
});

describe('forwarded tensors (d, t_en, asr, N)', () => {
  it('may have another layout of the same size, by name or by shape', () => {
    const sig = predictor(['ids', 'ref_s', 'attn'], ['duration', 'd', 't_en']);
    const transposed: SignatureSpec = { inputs: sig.inputs, outputs: [sig.outputs[0]!, t('output_1', 'float32', [1, 640, 128]), t('t_en', 'float32', [1, 128, 512])] };
    const b = bindGraph('predictor', transposed);
    expect(pairs(b, 'outputs')).toEqual(['duration=duration/name', 'd=output_1/shape', 't_en=t_en/name']);
    const wrongSize: SignatureSpec = { inputs: sig.inputs, outputs: [sig.outputs[0]!, t('d', 'float32', [1, 64, 128]), sig.outputs[2]!] };
    expect(tryBindGraph('predictor', wrongSize).ok).toBe(false);
    expect(describeBinding(b)).toContain('d <- output_1 float32[1,640,128] (shape)');
  });

  it('must have the same shape on both sides', () => {
    const predictorSig = predictor(['ids', 'ref_s', 'attn'], ['duration', 'd', 't_en']);
    const p = bindGraph('predictor', { inputs: predictorSig.inputs, outputs: [predictorSig.outputs[0]!, t('d', 'float32', [1, 640, 128]), predictorSig.outputs[2]!] });
    const q = bindGraph('prosody', { inputs: PROSODY_IN(['d', 't_en', 'aln', 'ref_s', 'frame_mask']), outputs: PROSODY_OUT(['asr', 'F0', 'N']) });
    expect(forwardingProblems({ predictor: p, prosody: q })).toEqual([
      'kokoro_prosody.tflite: its input d is [1,128,640] but kokoro_predictor.tflite produces [1,640,128]; the two files come from different exports, so download the model again.',
    ]);
    expect(forwardingProblems({ prosody: q })).toEqual([]);
  });

  it('say so in the expected layout of an error', () => {
    const result = tryBindGraph('prosody', { inputs: [], outputs: [] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.expected).toContain('d float32[1,128,640] (or another shape of 81920 values)');
  });
});
