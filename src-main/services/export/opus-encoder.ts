import OpusScript from 'opusscript';
import type { AudioSample, CustomAudioEncoder } from 'mediabunny';
import type { Mediabunny } from './codecs';

/** Ogg Opus counts every time at 48 kHz, whatever rate the encoder was fed (RFC 7845 §4). */
const OPUS_CLOCK = 48_000;
/** 20 ms: libopus's default frame and the best trade of quality against overhead for speech. */
const FRAME_SECONDS = 0.02;
/** OPUS_GET_LOOKAHEAD_REQUEST in opus_defines.h. */
const GET_LOOKAHEAD = 4027;

type OpusRate = 8000 | 12000 | 16000 | 24000 | 48000;

/**
 * Opus for mediabunny in Node, where there is no WebCodecs: libopus (opusscript's WebAssembly
 * build) fed 20 ms frames of 16-bit PCM. The muxer needs the OpusHead as the decoder
 * description, with the encoder's lookahead as pre-skip, and learns the true end of the audio
 * from the last packet's duration (shorter than its frame), so the file decodes to exactly the
 * samples given. Built on the mediabunny instance it is registered with (the class must extend
 * that instance's CustomAudioEncoder).
 */
export function opusEncoderClass({ CustomAudioEncoder: Base, EncodedPacket }: Mediabunny): typeof CustomAudioEncoder {
  return class OpusscriptEncoder extends Base {
    private encoder: OpusScript | undefined;
    private frameSize = 0;
    private lookahead = 0;
    /** Samples waiting for a full frame, as 16-bit PCM. */
    private pending = new Int16Array(0);
    private pendingCount = 0;
    private inputSamples = 0;
    private packets = 0;

    static override supports(codec: string, config: { sampleRate: number; numberOfChannels: number }): boolean {
      return codec === 'opus' && config.numberOfChannels === 1 && (OpusScript.VALID_SAMPLING_RATES as number[]).includes(config.sampleRate);
    }

    init(): void {
      const rate = this.config.sampleRate as OpusRate;
      const encoder = new OpusScript(rate, 1, OpusScript.Application.AUDIO);
      if (Number.isFinite(this.config.bitrate)) encoder.setBitrate(this.config.bitrate!);
      this.encoder = encoder;
      this.frameSize = Math.round(rate * FRAME_SECONDS);
      this.lookahead = readLookahead(encoder);
      this.pending = new Int16Array(this.frameSize);
    }

    encode(sample: AudioSample): void {
      const floats = new Float32Array(sample.numberOfFrames);
      sample.copyTo(floats, { planeIndex: 0, format: 'f32-planar' });
      this.inputSamples += floats.length;
      for (const value of floats) {
        this.pending[this.pendingCount++] = Math.max(-32768, Math.min(32767, Math.round(value * 32767)));
        if (this.pendingCount === this.frameSize) this.emitFrame(this.frameSize);
      }
    }

    flush(): void {
      // The decoder's output lags the input by the lookahead: frames of silence push the last
      // input samples out, and the final packet's duration cuts what follows them.
      const needed = this.inputSamples + this.lookahead;
      while (this.packets * this.frameSize < needed) {
        this.pending.fill(0, this.pendingCount);
        this.pendingCount = this.frameSize;
        const remaining = needed - this.packets * this.frameSize;
        this.emitFrame(Math.min(remaining, this.frameSize));
      }
    }

    close(): void {
      this.encoder?.delete();
      this.encoder = undefined;
    }

    /** Encodes the pending frame; `duration` (in input samples) is shorter only for the last one. */
    private emitFrame(duration: number): void {
      const encoder = this.encoder!;
      const pcm = Buffer.from(this.pending.buffer, this.pending.byteOffset, this.frameSize * 2);
      const data = new Uint8Array(encoder.encode(pcm, this.frameSize));
      const rate = this.config.sampleRate;
      const packet = new EncodedPacket(data, 'key', (this.packets * this.frameSize) / rate, duration / rate);
      const meta =
        this.packets === 0
          ? { decoderConfig: { codec: 'opus', sampleRate: OPUS_CLOCK, numberOfChannels: 1, description: opusHead(rate, (this.lookahead * OPUS_CLOCK) / rate) } }
          : undefined;
      this.packets++;
      this.pendingCount = 0;
      this.onPacket(packet, meta);
    }
  };
}

/** The encoder's algorithmic delay in input samples, asked of libopus itself. */
function readLookahead(encoder: OpusScript): number {
  // opusscript passes the argument through as an int: a wasm address where libopus writes the
  // answer. Its input buffer for packets is such an address, free between calls.
  const internals = encoder as unknown as { inOpusPointer: number; inOpus: Uint8Array };
  encoder.encoderCTL(GET_LOOKAHEAD, internals.inOpusPointer);
  const view = internals.inOpus;
  return new DataView(view.buffer, view.byteOffset, 4).getInt32(0, true);
}

/** The identification header (RFC 7845 §5.1) for one channel, mapping family 0. */
function opusHead(inputRate: number, preSkip: number): Uint8Array {
  const head = new Uint8Array(19);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode('OpusHead'), 0);
  view.setUint8(8, 1); // version
  view.setUint8(9, 1); // channels
  view.setUint16(10, preSkip, true);
  view.setUint32(12, inputRate, true);
  view.setInt16(16, 0, true); // output gain
  view.setUint8(18, 0); // mapping family
  return head;
}
