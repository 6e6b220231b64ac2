import type { SpeechRates } from './reading-time';

/** What playback keeps in the page's storage across starts: the volume and the measured speech rates. */
const VOLUME_KEY = 'kokoro-reader:volume';
const RATES_KEY = 'kokoro-reader:speech-rates';

export function savedVolume(): number {
  try {
    const value = Number(localStorage.getItem(VOLUME_KEY) ?? 'NaN');
    return Number.isFinite(value) && value >= 0 && value <= 1 ? value : 1;
  } catch {
    return 1; // Storage can be off (private windows): full volume, as the audio was made.
  }
}

export function saveVolume(volume: number): void {
  try {
    localStorage.setItem(VOLUME_KEY, String(volume));
  } catch {
    // Not remembered this time; the volume still applies.
  }
}

export function savedRates(): SpeechRates {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(RATES_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    // Only well-formed samples: a damaged entry must not make every estimate NaN.
    return Object.fromEntries(
      Object.entries(parsed).filter(([, s]: [string, unknown]) => {
        const sample = s as { chars?: unknown; seconds?: unknown };
        return typeof sample?.chars === 'number' && typeof sample.seconds === 'number' && sample.chars > 0 && sample.seconds > 0;
      }),
    ) as SpeechRates;
  } catch {
    return {};
  }
}

export function saveRates(rates: SpeechRates): void {
  try {
    localStorage.setItem(RATES_KEY, JSON.stringify(rates));
  } catch {
    // Estimates start from the default next time.
  }
}
