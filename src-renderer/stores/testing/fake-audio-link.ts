import type { AudioLink, AudioMessage, PlaybackReport } from '../../../src-shared/ipc/audio-port';

/** The engine's end of the audio channel: the spec sends messages (to every listener, as the real links do), and sees the reports. */
export class FakeAudioLink implements AudioLink {
  readonly reports: PlaybackReport[] = [];
  private readonly listeners = new Set<(message: AudioMessage) => void>();
  onMessage(listener: (message: AudioMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  report(report: PlaybackReport): void {
    this.reports.push(report);
  }
  send(message: AudioMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}
