export * from './constants';
export { roundHalfEven, predictDurations, totalFrames, buildAlignment } from './alignment';
export type { AlignmentResult, AlignmentOk, AlignmentOverflow, AlignmentBuckets } from './alignment';
export { Mulberry32, createRandom, resolveRandom, deriveSeed } from './random';
export type { RandomSource, NoiseSetting } from './random';
export { harmonicSource, harFromF0 } from './source';
export type { SourceOptions, HarOptions, HarResult } from './source';
export { sourceStft, stftFrameCount } from './stft';
export type { StftPadding } from './stft';
export {
  istftTorch,
  istftBases,
  istftLength,
  definedInverseBases,
  detectBasisLayout,
  detectBasisLayoutFromBytes,
  BASIS_TOLERANCE,
} from './istft';
export type { InverseBases, BasisLayout, BasisLayoutResult } from './istft';
export { tokenSampleSpans, tokenSpanList } from './spans';
export type { SampleSpan } from './spans';
export { hannWindow } from './dft';
export { linearWeights, nearestSourceIndices, interpolatedLength } from './interpolate';
export type { LinearWeights } from './interpolate';
