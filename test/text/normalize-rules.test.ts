import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NormalizeContext } from '../../src-shared/text/normalize/context';
import type { Rule } from '../../src-shared/text/normalize/context';
import { applyRules, readTokens } from '../../src-shared/text/normalize/driver';
import { WordEmitter } from '../../src-shared/text/normalize/emitter';
import { normalizeToString, wordsToString } from '../../src-shared/text/normalize/index';
import { approximately } from '../../src-shared/text/normalize/rules/approximately';
import { clockTime } from '../../src-shared/text/normalize/rules/clock-time';
import { RULES } from '../../src-shared/text/normalize/rules/index';
import { money } from '../../src-shared/text/normalize/rules/money';
import { monthName } from '../../src-shared/text/normalize/rules/month-name';
import { numericRange } from '../../src-shared/text/normalize/rules/numeric-range';
import { phoneNumber } from '../../src-shared/text/normalize/rules/phone-number';
import { plainNumber } from '../../src-shared/text/normalize/rules/plain-number';
import { tokenize } from '../../src-shared/text/normalize/tokens';
import { segmentSentences } from '../../src-shared/text/segment';

function contextFor(text: string): NormalizeContext {
  return new NormalizeContext(tokenize(text), segmentSentences(text), 'en-US', new WordEmitter());
}

function read(text: string, rules: readonly Rule[]): string {
  const context = contextFor(text);
  readTokens(context, rules);
  return wordsToString(context.output.words);
}

/** A stand-in rule that records the indices it was given and consumes `consumed(index)` tokens. */
function recording(name: string, calls: string[], consumed: (index: number) => number): Rule {
  const rule: Rule = (context, index) => {
    calls.push(`${name}@${index}`);
    const n = consumed(index);
    const token = context.tokens[index];
    if (n > 0 && token) context.output.say(name, token.start, token.end);
    return n;
  };
  return rule;
}

describe('normalisation rules', () => {
  it('are tried in the documented order', () => {
    expect(RULES.map((rule) => rule.name)).toEqual([
      'punctuationOnly', 'overlongToken', 'approximately', 'urlOrEmail', 'hashtagOrMention', 'money', 'clockTime',
      'numericDate', 'phoneNumber', 'decade', 'ordinalNumber', 'percent', 'plainNumber', 'numberWithUnit',
      'numericRange', 'fraction', 'monthName', 'symbol', 'word', 'hyphenated', 'characterRuns',
    ]);
  });

  it('one file per rule, each in the list', () => {
    const files = readdirSync(new URL('../../src-shared/text/normalize/rules/', import.meta.url)).filter((f) => f !== 'index.ts');
    const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    expect(files.sort()).toEqual(RULES.map((rule) => `${kebab(rule.name)}.ts`).sort());
  });

  it('the first rule that consumes wins; one that does not apply consumes 0 and the next gets the same index', () => {
    const calls: string[] = [];
    const rules = [recording('a', calls, () => 0), recording('b', calls, () => 0), recording('c', calls, () => 2), recording('d', calls, () => 1)];
    expect(applyRules(contextFor('one two three'), 1, rules)).toBe(2);
    expect(calls).toEqual(['a@1', 'b@1', 'c@1']);
  });

  it('the driver moves on by as many tokens as the rule consumed', () => {
    const calls: string[] = [];
    const rules = [recording('pair', calls, (index) => (index === 0 ? 2 : 0)), recording('one', calls, () => 1)];
    expect(read('a b c d', rules)).toBe('pair one one.');
    expect(calls).toEqual(['pair@0', 'pair@2', 'one@2', 'pair@3', 'one@3']);
  });

  it('a token no rule reads is passed over, and a rule that throws loses only its own words', () => {
    const calls: string[] = [];
    const failing: Rule = (context, index) => {
      context.output.say('half', 0, 1);
      if (index === 1) throw new Error('a bug in a rule');
      return 0;
    };
    // "a": no rule consumes it, its words stay; "b": the rule throws, its words go; "c": read.
    expect(read('a b c', [failing, recording('one', calls, (index) => (index === 2 ? 1 : 0))])).toBe('half half one.');
    expect(calls).toEqual(['one@0', 'one@2']);
  });

  it('real rules: consume 0 where they do not apply, without writing, and the tokens they read', () => {
    const context = contextFor('$5 on May 5 at 3 pm and 5 kg');
    expect(clockTime(context, 0)).toBe(0);
    expect(plainNumber(context, 0)).toBe(0);
    expect(context.output.count).toBe(0);
    expect(money(context, 0)).toBe(1);
    expect(monthName(context, 2)).toBe(2); // "May 5"
    expect(plainNumber(context, 5)).toBe(2); // "3 pm"
    expect(plainNumber(context, 8)).toBe(2); // "5 kg"
    expect(wordsToString(context.output.words)).toBe('five dollars May fifth three P M five kilograms');
    expect(normalizeToString('$5 on May 5 at 3 pm and 5 kg')).toBe('five dollars on May fifth at three P M and five kilograms.');
  });

  it('"approximately" reads the sign and leaves the rest of the token to the rules after it', () => {
    const context = contextFor('~5 kg');
    expect(approximately(context, 0)).toBe(0);
    expect(context.tokens[0]?.core).toBe('5');
    expect(applyRules(context, 0, RULES.slice(RULES.indexOf(approximately) + 1))).toBe(2);
    expect(wordsToString(context.output.words)).toBe('about five kilograms');
  });

  it('the order decides between readings: a phone number before a range', () => {
    expect(read('Call 555-1234', RULES)).toBe('Call five five five, one two three four.');
    const rangeFirst = RULES.filter((rule) => rule !== numericRange);
    rangeFirst.splice(rangeFirst.indexOf(phoneNumber), 0, numericRange);
    expect(read('Call 555-1234', rangeFirst)).toBe('Call five hundred fifty-five to twelve thirty-four.');
  });
});
