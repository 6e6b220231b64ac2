import type { AudioLink, AudioMessage, PlaybackReport } from '../../../src-shared/ipc/audio-port';

/** The engine's end of the audio channel: the spec sends messages, and sees the reports. */
export class FakeAudioLink implements AudioLink {
  readonly reports: PlaybackReport[] = [];
  private listener: ((message: AudioMessage) => void) | undefined;
  onMessage(listener: (message: AudioMessage) => void): () => void {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  report(report: PlaybackReport): void {
    this.reports.push(report);
  }
  send(message: AudioMessage): void {
    this.listener?.(message);
  }
}
