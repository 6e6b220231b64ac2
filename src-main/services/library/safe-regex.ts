import vm from 'node:vm';
import type { RegexRule, RegexRunner, RuleMatch } from '../../../src-shared/lexicon/types';

/**
 * User regular expressions (pronunciation rules), made safe to run.
 *
 * Why `vm` with a timeout rather than a worker or a static check alone:
 * - The front-end's `lookup(word, lang)` is synchronous, so a worker (asynchronous, a message
 *   round trip per call) cannot serve it; `vm`'s `timeout` is synchronous and V8 interrupts a
 *   backtracking regex reliably. Its cost is one watchdog thread per call, about 0.1 ms, which is
 *   paid once per text batch (replacements) or once per distinct word (phoneme rules, memoised).
 * - No static check is complete: nested quantifiers like `(a+)+` are caught before saving, but
 *   overlapping alternatives such as `(\w|\d)+$` are just as catastrophic. So save-time checks
 *   (syntax, no backreferences, no nested quantifiers, a timed probe against adversarial input)
 *   catch the common mistakes with a clear message, and the runtime time limit bounds the rest:
 *   a rule that times out twice (the second time with ten times the limit, so a busy machine
 *   does not condemn a good rule) is switched off for the session and reported, and the text
 *   is read without it.
 */

export const MAX_PATTERN_LENGTH = 200;
/** Matches per rule per call: a rule that matches everywhere must not flood the caller. */
const MAX_MATCHES_PER_RULE = 10_000;

/** Why a pattern is refused, in words for the user; undefined when it is acceptable. */
export function patternProblem(source: string, caseSensitive: boolean, probeTimeoutMs = 100): string | undefined {
  if (source.length === 0) return 'the pattern is empty';
  if (source.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  let compiled: RegExp;
  try {
    compiled = new RegExp(source, flagsFor(caseSensitive));
  } catch (thrown) {
    return `it is not a valid regular expression: ${(thrown as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(stripClasses(source))) return 'backreferences (\\1, \\k<name>) are not allowed';
  if (hasNestedQuantifier(source)) return 'a repeated group contains a repeat, e.g. (a+)+, which can take forever; remove the inner or outer repeat';
  if (compiled.test('')) return 'it matches empty text';
  // A busy machine can stall a fast pattern past a short limit: only a second, ten times longer
  // timeout condemns it. A catastrophic pattern needs ~2^40 steps on the probes, so it still fails.
  if (!probeIsFast(source, caseSensitive, probeTimeoutMs) && !probeIsFast(source, caseSensitive, probeTimeoutMs * 10)) {
    return 'it is too slow on some text (catastrophic backtracking); simplify it';
  }
  return undefined;
}

function flagsFor(caseSensitive: boolean): string {
  return caseSensitive ? 'u' : 'iu';
}

/** The pattern with [...] classes blanked, so their contents are not read as syntax. */
function stripClasses(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] ?? '';
    if (ch === '\\') {
      out += inClass ? '__' : ch + (source[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch === ']' ? ch : '_';
    } else {
      if (ch === '[') inClass = true;
      out += ch;
    }
  }
  return out;
}

/**
 * True when a repeated group (`*`, `+`, `{n,}`, `{n,m}` with m > 1) contains another repeat:
 * star height above one, the classic source of exponential backtracking.
 */
export function hasNestedQuantifier(source: string): boolean {
  const s = stripClasses(source);
  const stack: boolean[] = [false]; // per open group: does it contain a repeat?
  let i = 0;
  const repeatAt = (j: number): { repeats: boolean; length: number } | undefined => {
    const ch = s[j];
    if (ch === '*' || ch === '+') return { repeats: true, length: 1 };
    if (ch === '?') return { repeats: false, length: 1 };
    if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(j));
      if (!m) return undefined;
      const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
      return { repeats: max > 1, length: m[0].length };
    }
    return undefined;
  };
  while (i < s.length) {
    const ch = s[i] ?? '';
    if (ch === '\\') {
      // \p{..}, \u{..}: the braces belong to the escape.
      const next = s[i + 1] ?? '';
      i += 2;
      if ('pPu'.includes(next) && s[i] === '{') i = s.indexOf('}', i) + 1 || s.length;
    } else if (ch === '(') {
      stack.push(false);
      i++;
      continue;
    } else if (ch === ')') {
      const inner = stack.pop() ?? false;
      i++;
      const q = repeatAt(i);
      if (q?.repeats && inner) return true;
      if (stack.length === 0) stack.push(false);
      if (inner || q?.repeats) stack[stack.length - 1] = true;
      if (q) i += q.length + (s[i + q.length] === '?' ? 1 : 0);
      continue;
    } else {
      i++;
    }
    const q = repeatAt(i);
    if (q) {
      if (q.repeats) stack[stack.length - 1] = true;
      i += q.length + (s[i + q.length] === '?' ? 1 : 0);
    }
  }
  return false;
}

/** Runs the pattern on strings that make bad patterns backtrack; false if that times out. */
function probeIsFast(source: string, caseSensitive: boolean, timeoutMs: number): boolean {
  const chars = new Set(['a', '0', ' ', '.', '-', "'"]);
  for (const ch of stripClasses(source).replace(/\\./g, '')) if (/[\p{L}\p{N}\s.,'-]/u.test(ch)) chars.add(ch);
  const probes: string[] = [];
  for (const ch of chars) probes.push(ch.repeat(40) + '\u0001', ch.repeat(2000) + '\u0001');
  probes.push('ab'.repeat(20) + '\u0001', 'a1'.repeat(20) + '\u0001');
  const context = vm.createContext({ source, flags: flagsFor(caseSensitive) + 'g', probes });
  try {
    vm.runInContext(
      `for (const p of probes) {
         const re = new RegExp(source, flags);
         let m;
         while ((m = re.exec(p)) !== null) if (m[0] === '') re.lastIndex++;
       }`,
      context,
      { timeout: timeoutMs },
    );
    return true;
  } catch (thrown) {
    if ((thrown as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return false;
    throw thrown;
  }
}

// Runs inside the sandbox. Results leave as JSON so no object from the other realm escapes.
const SANDBOX_SOURCE = `
  const rules = [];
  globalThis.__current = -1;
  globalThis.__setRules = (json) => {
    rules.length = 0;
    for (const r of JSON.parse(json)) {
      const flags = r.caseSensitive ? 'u' : 'iu';
      rules.push({ id: r.id, all: new RegExp(r.source, flags + 'g'), full: new RegExp('^(?:' + r.source + ')$', flags) });
    }
  };
  globalThis.__matchAll = (text, idsJson, limit) => {
    const ids = new Set(JSON.parse(idsJson));
    const out = [];
    for (const r of rules) {
      if (!ids.has(r.id)) continue;
      globalThis.__current = r.id;
      r.all.lastIndex = 0;
      let m;
      let n = 0;
      while ((m = r.all.exec(text)) !== null) {
        if (m[0].length === 0) { r.all.lastIndex++; continue; }
        out.push([r.id, m.index, m.index + m[0].length, m.slice(1).map((g) => g ?? '')]);
        if (++n >= limit) break;
      }
    }
    globalThis.__current = -1;
    return JSON.stringify(out);
  };
  globalThis.__firstFull = (word, idsJson) => {
    const ids = new Set(JSON.parse(idsJson));
    for (const r of rules) {
      if (!ids.has(r.id)) continue;
      globalThis.__current = r.id;
      if (r.full.test(word)) { globalThis.__current = -1; return r.id; }
    }
    globalThis.__current = -1;
    return -1;
  };
`;

interface SandboxGlobals {
  __current: number;
  __input: string;
  __ids: string;
  __limit: number;
}

/**
 * Compiled user rules in a separate V8 context; every call runs under a time limit.
 * A rule that exceeds it is disabled (see `disabled`) and `onTimeout` is told.
 */
export class RegexSandbox implements RegexRunner {
  private readonly context: vm.Context & SandboxGlobals;
  private readonly matchScript = new vm.Script('__matchAll(__input, __ids, __limit)');
  private readonly fullScript = new vm.Script('__firstFull(__input, __ids)');
  private ruleIds: number[] = [];
  readonly disabled = new Set<number>();

  constructor(
    private readonly timeoutMs = 100,
    private readonly onTimeout: (ruleId: number) => void = () => {},
  ) {
    this.context = vm.createContext({ __current: -1, __input: '', __ids: '[]', __limit: MAX_MATCHES_PER_RULE }) as vm.Context & SandboxGlobals;
    vm.runInContext(SANDBOX_SOURCE, this.context);
  }

  /** Replaces the rule set (patterns were validated when saved; a bad one is skipped here). */
  setRules(rules: readonly RegexRule[]): void {
    const usable = rules.filter((r) => {
      try {
        new RegExp(r.source, flagsFor(r.caseSensitive));
        return true;
      } catch {
        return false;
      }
    });
    this.ruleIds = usable.map((r) => r.id);
    this.context.__input = JSON.stringify(usable);
    vm.runInContext('__setRules(__input)', this.context);
  }

  get size(): number {
    return this.ruleIds.length;
  }

  /** Every match of the enabled rules among `ids`, in rule order then text order. */
  matchAll(text: string, ids: readonly number[]): RuleMatch[] {
    if (ids.every((id) => this.disabled.has(id))) return [];
    const json = this.guarded((timeout) => {
      this.context.__input = text;
      this.context.__ids = JSON.stringify(ids.filter((id) => !this.disabled.has(id)));
      return this.matchScript.runInContext(this.context, { timeout }) as string;
    });
    if (json === undefined) return [];
    return (JSON.parse(json) as Array<[number, number, number, string[]]>).map(([ruleId, start, end, groups]) => ({ ruleId, start, end, groups }));
  }

  /** The first of `ids` (in rule order) whose pattern matches the whole word. */
  firstFullMatch(word: string, ids: readonly number[]): number | undefined {
    if (ids.every((id) => this.disabled.has(id))) return undefined;
    const id = this.guarded((timeout) => {
      this.context.__input = word;
      this.context.__ids = JSON.stringify(ids.filter((x) => !this.disabled.has(x)));
      return this.fullScript.runInContext(this.context, { timeout }) as number;
    });
    return id === undefined || id < 0 ? undefined : id;
  }

  /**
   * Runs `call` under the time limit. On a timeout it tries once more with ten times the limit
   * (a busy machine must not switch off a good rule); if that times out too, the rule that was
   * running is disabled and the call runs again without it.
   */
  private guarded<T>(call: (timeoutMs: number) => T): T | undefined {
    let patient = false;
    for (let attempt = 0; attempt <= 2 * this.ruleIds.length + 1; attempt++) {
      try {
        return call(patient ? this.timeoutMs * 10 : this.timeoutMs);
      } catch (thrown) {
        if ((thrown as { code?: unknown }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw thrown;
        const culprit = this.context.__current;
        this.context.__current = -1;
        if (!patient) {
          patient = true;
          continue;
        }
        // Out of patience; a timeout outside any rule (a stalled machine) just gives up.
        if (culprit < 0 || this.disabled.has(culprit)) return undefined;
        patient = false;
        this.disabled.add(culprit);
        this.onTimeout(culprit);
      }
    }
    return undefined;
  }
}
