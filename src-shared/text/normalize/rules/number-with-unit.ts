import type { NormalizeContext } from '../context';
import { ATTACHED_UNITS, UNITS } from '../lexicon';
import { parseNumber } from '../numbers';

/** A unit written onto its number: "5kg", "10s", "3.5GHz", "10x". */
export function numberWithUnit(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const m = /^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?)([^\d.,].*)$/.exec(token.core);
  const written = m?.[1] ?? '';
  if (!m || !/\d/.test(written)) return 0;
  const parsed = parseNumber(written);
  const suffix = m[2] ?? '';
  const unit = UNITS.get(suffix) ?? ATTACHED_UNITS.get(suffix);
  if (!parsed || !unit) return 0;
  const unitStart = token.coreStart + written.length;
  context.output.sayFor(token, token.coreStart, unitStart, context.readNumber(parsed, false));
  context.output.sayFor(token, unitStart, token.coreEnd, context.unitName(unit, parsed));
  return 1;
}
