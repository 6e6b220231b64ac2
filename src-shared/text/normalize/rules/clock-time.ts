import type { NormalizeContext } from '../context';
import { DIGIT_WORDS, cardinal } from '../numbers';
import type { Token } from '../tokens';

/** "am", "p.m", "PM" as a token of its own. */
export const RE_AM_PM = /^([aApP])\.?[mM]$/;

/** "A M", "P M": spelled letters. */
export function amPmWords(letter: string): string {
  return `${letter.toUpperCase()} M`;
}

function clockWords(hour: number, minutes: string, seconds: string | undefined, amPm: boolean): string {
  const hourWords = cardinal(String(hour));
  const minute = Number(minutes);
  let words: string;
  if (minute === 0) words = amPm ? hourWords : hour > 0 && hour <= 12 ? `${hourWords} o'clock` : `${hourWords} hundred`;
  else if (minute < 10) words = `${hourWords} oh ${DIGIT_WORDS[minute]}`;
  else words = `${hourWords} ${cardinal(minutes)}`;
  if (seconds !== undefined) {
    const second = Number(seconds);
    words += ` and ${cardinal(String(second))} ${second === 1 ? 'second' : 'seconds'}`;
  }
  return words;
}

/** "12:30" twelve thirty, "9:05:07", "3:15pm", "3:15 p.m." (both tokens), "3pm", "10 a.m."; hours up to 24. */
export function clockTime(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const { output } = context;
  const withMinutes = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:([aApP])\.?[mM]\.?)?$/.exec(token.core);
  if (withMinutes) {
    const hour = Number(withMinutes[1]);
    const minutes = withMinutes[2] ?? '00';
    const seconds = withMinutes[3];
    if (hour > 24 || Number(minutes) > 59 || (seconds !== undefined && Number(seconds) > 59)) return 0;
    let amPm = withMinutes[4];
    let amPmToken: Token | undefined;
    if (!amPm) {
      const next = context.joinedNext(index);
      const nextAmPm = next ? RE_AM_PM.exec(next.core) : null;
      if (next && nextAmPm && hour <= 12) {
        amPm = nextAmPm[1];
        amPmToken = next;
      }
    }
    const amPmAt = amPm && !amPmToken ? token.core.search(/[aApP]/) : -1;
    if (amPmAt >= 0) {
      output.sayFor(token, token.coreStart, token.coreStart + amPmAt, clockWords(hour, minutes, seconds, true));
      output.sayFor(token, token.coreStart + amPmAt, token.coreEnd, amPmWords(amPm ?? 'a'), true);
    } else {
      output.sayForCore(token, clockWords(hour, minutes, seconds, amPm !== undefined));
      if (amPmToken) output.sayForCore(amPmToken, amPmWords(amPm ?? 'a'), true);
    }
    return amPmToken ? 2 : 1;
  }
  const hourAmPm = /^(\d{1,2})(?::(\d{2}))?([aApP])\.?[mM]\.?$/.exec(token.core);
  if (!hourAmPm) return 0;
  const hour = Number(hourAmPm[1]);
  if (hour < 1 || hour > 12 || (hourAmPm[2] !== undefined && Number(hourAmPm[2]) > 59)) return 0;
  const amPmAt = token.core.search(/[aApP]/);
  output.sayFor(token, token.coreStart, token.coreStart + amPmAt, clockWords(hour, hourAmPm[2] ?? '00', undefined, true));
  output.sayFor(token, token.coreStart + amPmAt, token.coreEnd, amPmWords(hourAmPm[3] ?? 'a'), true);
  return 1;
}
