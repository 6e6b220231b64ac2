/**
 * Fixed sizes of the Kokoro-82M three-bundle pipeline (LiteRT export) and of its
 * iSTFTNet vocoder. The buckets are baked into the graphs; the rest is the model's config.
 */

/** Token bucket of the predictor graph (includes the two bounding 0 ids). */
export const TOKEN_BUCKET = 128;
/** Frame bucket of the prosody and vocoder graphs. */
export const FRAME_BUCKET = 512;
/** Audio sample rate in Hz. */
export const SAMPLE_RATE = 24000;
/** Audio samples per alignment frame (F0 has 2 values per frame, each upsampled by 300). */
export const SAMPLES_PER_FRAME = 600;
/** F0 values per alignment frame. */
export const F0_PER_FRAME = 2;
/** Upsampling factor from one F0 value to audio samples: prod(upsample_rates) * istft hop. */
export const UPSAMPLE = 300;
/** Length of the F0 output of the prosody graph. */
export const F0_LENGTH = FRAME_BUCKET * F0_PER_FRAME;
/** Samples of one full chunk (512 frames, 12.8 s). */
export const CHUNK_SAMPLES = FRAME_BUCKET * SAMPLES_PER_FRAME;

/** iSTFT size of the vocoder (gen_istft_n_fft). */
export const N_FFT = 20;
/** iSTFT hop of the vocoder (gen_istft_hop_size). */
export const HOP = 5;
/** One-sided frequency bins: N_FFT / 2 + 1. */
export const N_BINS = N_FFT / 2 + 1;
/** Rows of the `har` input: magnitude bins then phase bins. */
export const HAR_ROWS = 2 * N_BINS;
/** STFT frames of one full chunk with center padding: CHUNK_SAMPLES / HOP + 1 = 61441. */
export const STFT_FRAMES = CHUNK_SAMPLES / HOP + 1;

/** SineGen: fundamental plus 8 overtones. */
export const HARMONICS = 9;
/** SineGen sine amplitude. */
export const SINE_AMP = 0.1;
/** SineGen additive noise std in voiced regions. */
export const NOISE_STD = 0.003;
/** F0 at or below this (Hz) is unvoiced. */
export const VOICED_THRESHOLD = 10;
/** Values of the source module's l_linear: 9 harmonic weights, then the bias. */
export const L_LINEAR_SIZE = HARMONICS + 1;
