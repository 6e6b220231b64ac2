import { open } from 'node:fs/promises';
import { writeFully } from './file-target';

/**
 * The LAME encoder's own delay in samples (mediabunny's MP3 encoder is LAME). Decoders add 529
 * of theirs, which readers of the LAME tag know and remove themselves.
 */
const LAME_ENCODER_DELAY = 576;
/** The LAME tag: 9 version bytes … 2 CRC bytes (http://gabriel.mp3-tech.org/mp3infotag.html). */
const LAME_TAG_BYTES = 36;
const XING_FRAMES = 1;
const XING_BYTES = 2;
const XING_TOC = 4;
const XING_QUALITY = 8;

const BITRATES_KBPS = {
  mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/**
 * Adds a LAME tag to the Xing frame mediabunny writes at the start of an MP3, with the encoder
 * delay and the padding of the last frame: players that read it (ffmpeg, foobar2000, iTunes,
 * most audiobook apps) then play exactly the samples encoded, so chapter marks line up and the
 * length matches the other formats. Without it the audio starts 46 ms late at 24 kHz and ends
 * with up to a frame of silence. The file's length does not change.
 */
export async function addGaplessInfo(path: string, encodedSamples: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const head = Buffer.alloc(10);
    await handle.read(head, 0, 10, 0);
    let frameStart = 0;
    if (head.toString('latin1', 0, 3) === 'ID3') {
      const size = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
      frameStart = 10 + size + (head[5]! & 0x10 ? 10 : 0);
    }
    const frame = Buffer.alloc(2048);
    const { bytesRead } = await handle.read(frame, 0, frame.length, frameStart);
    const info = parseXingFrame(frame.subarray(0, bytesRead));
    const padding = info.frames * info.samplesPerFrame - LAME_ENCODER_DELAY - encodedSamples;
    if (padding < 0 || padding > 0xfff) throw new Error(`an MP3 of ${info.frames} frames cannot hold ${encodedSamples} samples`);
    const tag = lameTag(padding);
    tag.copy(frame, info.tagOffset);
    // The CRC covers the frame up to the CRC itself.
    frame.writeUInt16BE(crc16(frame.subarray(0, info.tagOffset + LAME_TAG_BYTES - 2)), info.tagOffset + LAME_TAG_BYTES - 2);
    await writeFully(handle, frame.subarray(info.tagOffset, info.tagOffset + LAME_TAG_BYTES), frameStart + info.tagOffset);
  } finally {
    await handle.close();
  }
}

interface XingFrame {
  frames: number;
  samplesPerFrame: number;
  /** Where the LAME tag goes, from the frame's start. */
  tagOffset: number;
}

function parseXingFrame(frame: Buffer): XingFrame {
  if (frame.length < 4 || frame[0] !== 0xff || (frame[1]! & 0xe0) !== 0xe0) throw new Error('the MP3 does not start with a frame');
  const version = (frame[1]! >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  const layer = (frame[1]! >> 1) & 3; // 1: layer III
  if (layer !== 1 || version === 1) throw new Error('the MP3 does not start with a layer III frame');
  const mpeg1 = version === 3;
  const bitrate = (mpeg1 ? BITRATES_KBPS.mpeg1 : BITRATES_KBPS.mpeg2)[frame[2]! >> 4];
  const sampleRate = SAMPLE_RATES[version]![(frame[2]! >> 2) & 3];
  if (!bitrate || !sampleRate) throw new Error('the first MP3 frame has an invalid header');
  const frameSize = Math.floor(((mpeg1 ? 144 : 72) * bitrate * 1000) / sampleRate) + ((frame[2]! >> 1) & 1);
  const mono = frame[3]! >> 6 === 3;
  const xingOffset = 4 + (mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17);
  const marker = frame.toString('latin1', xingOffset, xingOffset + 4);
  if (marker !== 'Xing' && marker !== 'Info') throw new Error('the MP3 has no Xing frame to hold the gapless information');
  const flags = frame.readUInt32BE(xingOffset + 4);
  if (!(flags & XING_FRAMES)) throw new Error('the Xing frame has no frame count');
  const frames = frame.readUInt32BE(xingOffset + 8);
  const tagOffset =
    xingOffset + 8 + 4 + (flags & XING_BYTES ? 4 : 0) + (flags & XING_TOC ? 100 : 0) + (flags & XING_QUALITY ? 4 : 0);
  if (tagOffset + LAME_TAG_BYTES > Math.min(frameSize, frame.length)) throw new Error('the Xing frame has no room for a LAME tag');
  if (frame.subarray(tagOffset, tagOffset + LAME_TAG_BYTES).some((byte) => byte !== 0)) throw new Error('the Xing frame already holds a tag');
  return { frames, samplesPerFrame: mpeg1 ? 1152 : 576, tagOffset };
}

/** The LAME tag with only what gapless playback needs: the version string, delay and padding. */
function lameTag(padding: number): Buffer {
  const tag = Buffer.alloc(LAME_TAG_BYTES);
  tag.write('LAME3.100', 0, 'latin1');
  // Bytes 9–20: revision, lowpass, ReplayGain, flags and bitrate, all unknown here (0).
  tag.writeUIntBE((LAME_ENCODER_DELAY << 12) | padding, 21, 3);
  return tag;
}

/** CRC-16 as the LAME tag uses it (polynomial 0x8005, reflected, initial 0). */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}
