/**
 * The real Kokoro bundles' inputs and outputs: names (descriptive, as the Core AI sibling export
 * names them), dtypes and shapes, in subgraph order (../shared/kokoro/KOKORO.md). The test
 * fixtures and the shadow graphs are both written from this table.
 */
export const BUNDLE_IO = {
  predictor: {
    inputs: [
      ['input_ids', 'int32', [1, 128]],
      ['ref_s', 'float32', [1, 256]],
      ['attn_mask', 'float32', [1, 128]],
    ],
    outputs: ['duration', 'd', 't_en'],
  },
  prosody: {
    inputs: [
      ['d', 'float32', [1, 128, 640]],
      ['t_en', 'float32', [1, 512, 128]],
      ['aln', 'float32', [1, 128, 512]],
      ['ref_s', 'float32', [1, 256]],
      ['frame_mask', 'float32', [1, 512]],
    ],
    outputs: ['asr', 'F0', 'N'],
  },
  vocoder: {
    inputs: [
      ['asr', 'float32', [1, 512, 512]],
      ['F0', 'float32', [1, 1024]],
      ['N', 'float32', [1, 1024]],
      ['har', 'float32', [1, 22, 61441]],
      ['ref_s', 'float32', [1, 256]],
      ['frame_mask', 'float32', [1, 512]],
    ],
    outputs: ['spec', 'phase'],
  },
} as const;

export type BundleKind = keyof typeof BUNDLE_IO;

/** Output tensors get the converter's kind of names; the signature carries the alias. */
export function outputTensorName(i: number): string {
  return `StatefulPartitionedCall:${i}`;
}

