import { AppError, toErrorData } from '../../src-shared/errors/catalogue';
import type { AudioMessage, PlaybackReport } from '../../src-shared/ipc/audio-port';
import { batchSegments } from '../../src-shared/speech/plan';
import type { SpeechSegment, SynthesisSummary } from '../../src-shared/speech/types';
import { APP_SAMPLE_RATE } from '../../src-shared/speech/types';
import type { SpeechEngine } from './speech-engine';
import type { ForegroundGate } from './foreground-gate';

/** The engine's end of a window's audio channel (a MessagePort in the app, a socket elsewhere). */
export interface AudioPortEnd {
  post(message: AudioMessage): void;
  /**
   * Resolves once what was posted has left this process. A socket writes a large chunk in parts
   * as the reader takes them; without waiting, the rest would sit behind the next synthesis,
   * which blocks the event loop (seconds for a real-size Kokoro chunk). Absent: posting is enough.
   */
  flushed?(): Promise<void>;
  /** The window's playback reports; returns the function that stops listening. */
  onReport(listener: (report: PlaybackReport) => void): () => void;
  /** The latest chunk the window reported playing in a session (-1 for none), kept across requests. */
  playing(session: string): number;
  /** The channel is gone (window closed or replaced); returns the function that stops listening. */
  onClose(listener: () => void): () => void;
}

export interface StreamRequest {
  session: string;
  /** The number of the first chunk: a session is read in several requests, numbered across them. */
  firstSequence: number;
  /** The last request of the session: the window is told its end after it. */
  final: boolean;
  voice: string;
  speed: number;
  segments: SpeechSegment[];
  /** Chunks made beyond the one playing before synthesis waits for the window. */
  chunksAhead: number;
  /** Characters of text per synthesis call, so that a wait for credit comes between calls. */
  batchChars: number;
}

/**
 * Reads a session onto a window's audio channel: chunks go straight to the window, numbered
 * across the session, and synthesis stays at most `chunksAhead` chunks ahead of what the window
 * says is playing (its reports are the credit). After a cancel nothing more is posted.
 */
export async function streamToPort(
  engine: SpeechEngine,
  request: StreamRequest,
  port: AudioPortEnd,
  outerSignal: AbortSignal,
  /** Marks the synthesis (not the waits for credit) as reading, which background work gives way to. */
  foreground?: ForegroundGate,
): Promise<SynthesisSummary> {
  let delivered = request.firstSequence;
  let samples = 0;
  let playing = port.playing(request.session);
  let wake: (() => void) | undefined;
  const stopListening = port.onReport((report) => {
    if (report.session !== request.session || report.sequence <= playing) return;
    // A window cannot be playing what it was not sent: that would lift the bound on reading ahead.
    playing = Math.min(report.sequence, delivered - 1);
    wake?.();
  });
  // A channel that goes (the window closed or was replaced) stops the reading it carried.
  const gone = new AbortController();
  const signal = AbortSignal.any([outerSignal, gone.signal]);
  const stopWatchingClose = port.onClose(() => gone.abort());
  const onAbort = (): void => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    for (const segments of batchSegments(request.segments, request.batchChars)) {
      while (!signal.aborted && delivered - (playing + 1) >= request.chunksAhead) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      if (signal.aborted) break;
      const synthesize = (): Promise<SynthesisSummary> =>
        engine.synthesize({ voice: request.voice, speed: request.speed, segments }, signal, (chunk) => {
          if (signal.aborted) return;
          samples += chunk.samples.length;
          port.post({ kind: 'chunk', session: request.session, chunk: { ...chunk, sequence: delivered++ } });
          return port.flushed?.();
        });
      await (foreground ? foreground.during(synthesize) : synthesize());
    }
    if (signal.aborted) throw AppError.of('CANCELLED');
    if (request.final) port.post({ kind: 'end', session: request.session, chunks: delivered });
    return { chunks: delivered - request.firstSequence, samples, sampleRate: APP_SAMPLE_RATE };
  } catch (thrown) {
    // The window hears of a failure on the same channel as the audio; a cancel it asked for itself.
    if (!signal.aborted) port.post({ kind: 'error', session: request.session, error: toErrorData(thrown) });
    throw thrown;
  } finally {
    stopListening();
    stopWatchingClose();
    signal.removeEventListener('abort', onAbort);
  }
}
