import type * as MediabunnyModule from 'mediabunny';
import { opusEncoderClass } from './opus-encoder';

export type Mediabunny = typeof MediabunnyModule;

let loading: Promise<Mediabunny> | undefined;

/**
 * Mediabunny with the encoders Node lacks (it has no WebCodecs): AAC, MP3 and FLAC from
 * mediabunny's WebAssembly packages, Opus from opusscript. Registered once per process.
 *
 * Loaded with import(), never a static import: the encoder packages are ES modules that import
 * mediabunny's ES build, so in the CommonJS main bundle a require('mediabunny') would be a
 * second copy of mediabunny that knows none of the registered encoders.
 */
export function loadMediabunny(): Promise<Mediabunny> {
  loading ??= (async () => {
    const [mediabunny, aac, mp3, flac] = await Promise.all([
      import('mediabunny'),
      import('@mediabunny/aac-encoder'),
      import('@mediabunny/mp3-encoder'),
      import('@mediabunny/flac-encoder'),
    ]);
    aac.registerAacEncoder();
    mp3.registerMp3Encoder();
    flac.registerFlacEncoder();
    mediabunny.registerEncoder(opusEncoderClass(mediabunny));
    return mediabunny;
  })();
  // A failed load (a missing package) is tried again next time rather than remembered.
  loading.catch(() => (loading = undefined));
  return loading;
}
