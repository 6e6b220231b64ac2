import { describe, expect, it } from 'vitest';
import type { ErrorData } from '../../src-shared/errors/catalogue';
import { LexiconStore, Library, RegexSandbox, cacheKey, hasNestedQuantifier, patternProblem, sandboxedLexiconIndex } from '../../src-main/services/library';
import { toOriginalOffset, toOriginalSpan, toReplacedOffset } from '../../src-shared/lexicon/index';
import type { LexiconEntry, LexiconEntryInput } from '../../src-shared/lexicon/index';
import { caught, manualClock, testAudio, useTempDirs } from './helpers';

const tempDir = useTempDirs();

const word = (pattern: string, value: string, extra: Partial<LexiconEntryInput> = {}): LexiconEntryInput => ({ lang: 'all', match: 'word', pattern, kind: 'phonemes', value, ...extra });
const replace = (pattern: string, value: string, extra: Partial<LexiconEntryInput> = {}): LexiconEntryInput => ({ lang: 'all', match: 'word', pattern, kind: 'replacement', value, ...extra });
const regex = (pattern: string, value: string, extra: Partial<LexiconEntryInput> = {}): LexiconEntryInput => ({ lang: 'all', match: 'regex', pattern, kind: 'replacement', value, ...extra });

describe('lexicon: phoneme entries through the G2P adapter', () => {
  it('looks up whole words, case-insensitively by default, with curly apostrophes folded', () => {
    const lib = Library.open({ dataDir: tempDir() });
    lib.lexicon.add(word('Kokoro', 'kəkˈɔɹO'));
    lib.lexicon.add(word("rock'n'roll", 'ɹˌɑkənɹˈOl'));
    const user = lib.lexicon.userLexicon();
    expect(user.lookup('Kokoro', 'en-us')?.phonemes).toBe('kəkˈɔɹO');
    expect(user.lookup('KOKORO', 'en-gb')?.phonemes).toBe('kəkˈɔɹO');
    expect(user.lookup('rock’n’roll', 'en-us')?.phonemes).toBe('ɹˌɑkənɹˈOl');
    expect(user.lookup('kokoros', 'en-us')).toBeUndefined();
    lib.close();
  });

  it('honours case sensitivity: the city Nice is not the adjective nice', () => {
    const lib = Library.open({ dataDir: tempDir() });
    lib.lexicon.add(word('Nice', 'nˈis', { caseSensitive: true }));
    const user = lib.lexicon.userLexicon();
    expect(user.lookup('Nice', 'en-us')?.phonemes).toBe('nˈis');
    expect(user.lookup('nice', 'en-us')).toBeUndefined();
    expect(user.lookup('NICE', 'en-us')).toBeUndefined();
    lib.lexicon.add(word('nice', 'nˈIs'));
    expect(user.lookup('Nice', 'en-us')?.phonemes).toBe('nˈis'); // exact spelling wins
    expect(user.lookup('NICE', 'en-us')?.phonemes).toBe('nˈIs');
    lib.close();
  });

  it('keeps entries per language, an accent entry winning over an entry for both', () => {
    const lib = Library.open({ dataDir: tempDir() });
    lib.lexicon.add(word('tomato', 'təmˈATO', { lang: 'en-us' }));
    lib.lexicon.add(word('tomato', 'təmˈɑːtəʊ', { lang: 'en-gb' }));
    lib.lexicon.add(word('schedule', 'skˈɛʤul', { lang: 'all' }));
    lib.lexicon.add(word('schedule', 'ʃˈɛdjuːl', { lang: 'en-gb' }));
    const user = lib.lexicon.userLexicon();
    expect(user.lookup('tomato', 'en-us')?.phonemes).toBe('təmˈATO');
    expect(user.lookup('tomato', 'en-gb')?.phonemes).toBe('təmˈɑːtəʊ');
    expect(user.lookup('schedule', 'en-us')?.phonemes).toBe('skˈɛʤul');
    expect(user.lookup('schedule', 'en-gb')?.phonemes).toBe('ʃˈɛdjuːl');
    lib.close();
  });

  it('matches regex phoneme rules against the whole word, and say which entry answered', () => {
    const lib = Library.open({ dataDir: tempDir() });
    const rule = lib.lexicon.add({ lang: 'en-us', match: 'regex', pattern: 'COVID(-19)?', kind: 'phonemes', value: 'kˈOvɪd' });
    const kokoro = lib.lexicon.add(word('Kokoro', 'kəkˈɔɹO'));
    const user = lib.lexicon.userLexicon();
    expect(user.lookup('covid-19', 'en-us')).toEqual({ phonemes: 'kˈOvɪd', entryId: rule.id });
    expect(user.lookup('covid-19s', 'en-us')).toBeUndefined(); // whole word only
    expect(user.lookup('covid', 'en-gb')).toBeUndefined(); // en-us rule
    expect(user.lookup('kokoro', 'en-us')).toEqual({ phonemes: 'kəkˈɔɹO', entryId: kokoro.id });
    lib.close();
  });

  it('rejects phonemes that are not Kokoro symbols and other malformed entries', () => {
    const lib = Library.open({ dataDir: tempDir() });
    const error = caught(() => lib.lexicon.add(word('Kokoro', 'kokoro₂')));
    expect(error.code).toBe('LEXICON_RULE_INVALID');
    expect(error.message).toMatch(/not Kokoro phoneme symbols: ₂/);
    expect(caught(() => lib.lexicon.add(word('  ', 'kˈO'))).code).toBe('LEXICON_RULE_INVALID');
    expect(caught(() => lib.lexicon.add(word('x', 'kˈO', { lang: 'fr' as 'all' }))).code).toBe('LEXICON_RULE_INVALID');
    lib.lexicon.add(word('Kokoro', 'kəkˈɔɹO'));
    expect(caught(() => lib.lexicon.add(word('kokoro', 'kˈOkəɹO'))).message).toMatch(/already an entry/);
    lib.close();
  });
});

describe('lexicon: replacement pre-pass with an offset map', () => {
  it('replaces whole words and phrases and maps every span back to the original', () => {
    const lib = Library.open({ dataDir: tempDir() });
    const dr = lib.lexicon.add(replace('Dr.', 'Doctor'));
    const ny = lib.lexicon.add(replace('New York', 'New York City'));
    const etc = lib.lexicon.add(replace('etc', 'et cetera'));
    const original = 'Dr. Who met  new\nyork friends in Dr.Seuss land, etc.';
    const result = lib.lexicon.applyReplacements(original, 'en-us');
    expect(result.text).toBe('Doctor Who met  New York City friends in Dr.Seuss land, et cetera.');
    expect(result.entryIds).toEqual([dr.id, ny.id, etc.id]);

    // Every word of the new text highlights the right stretch of the original.
    const spanOf = (text: string, w: string): { start: number; end: number } => {
      const start = result.text.indexOf(w);
      return { start, end: start + w.length };
    };
    const back = (w: string): string => {
      const s = toOriginalSpan(result.edits, spanOf(result.text, w));
      return original.slice(s.start, s.end);
    };
    expect(back('Doctor')).toBe('Dr.');
    expect(back('Who')).toBe('Who');
    expect(back('City')).toBe('new\nyork'); // inside a replacement: the whole replaced stretch
    expect(back('friends')).toBe('friends');
    expect(back('Dr.Seuss')).toBe('Dr.Seuss'); // "Dr." glued to a word is not the whole word
    expect(back('cetera')).toBe('etc');
    expect(back('land')).toBe('land');
    expect(toOriginalOffset(result.edits, result.text.length)).toBe(original.length);
    // And the other way, e.g. to start reading from a saved position.
    expect(toReplacedOffset(result.edits, original.indexOf('friends'))).toBe(result.text.indexOf('friends'));
    expect(toReplacedOffset(result.edits, original.indexOf('ork'))).toBe(result.text.indexOf('New York City'));
    lib.close();
  });

  it('applies regex rules with $1 groups; the earliest, then longest match wins', () => {
    const lib = Library.open({ dataDir: tempDir() });
    lib.lexicon.add(regex('\\b(\\d+)\\s?km\\b', '$1 kilometres'));
    lib.lexicon.add(regex('\\bch\\.\\s?(\\d+)', 'chapter $1', { lang: 'en-gb' }));
    lib.lexicon.add(replace('km', 'kay em'));
    const us = lib.lexicon.applyReplacements('It is 42km (see ch. 7), 3 km on.', 'en-us');
    expect(us.text).toBe('It is 42 kilometres (see ch. 7), 3 kilometres on.');
    const gb = lib.lexicon.applyReplacements('It is 42km (see ch. 7), 3 km on.', 'en-gb');
    expect(gb.text).toBe('It is 42 kilometres (see chapter 7), 3 kilometres on.');
    expect(lib.lexicon.applyReplacements('the km sign', 'en-us').text).toBe('the kay em sign');
    lib.close();
  });

  it('honours case sensitivity in replacements', () => {
    const lib = Library.open({ dataDir: tempDir() });
    lib.lexicon.add(replace('US', 'U S', { caseSensitive: true }));
    lib.lexicon.add(regex('\\bIT\\b', 'I T', { caseSensitive: true }));
    expect(lib.lexicon.applyReplacements('Tell us about US IT, it said.', 'en-us').text).toBe('Tell us about U S I T, it said.');
    lib.close();
  });

  it('leaves text without matches untouched, with an empty map', () => {
    const lib = Library.open({ dataDir: tempDir() });
    lib.lexicon.add(replace('Dr.', 'Doctor'));
    const result = lib.lexicon.applyReplacements('Nothing to see.', 'en-us');
    expect(result).toEqual({ text: 'Nothing to see.', edits: [], entryIds: [] });
    expect(toOriginalOffset(result.edits, 7)).toBe(7);
    lib.close();
  });

  it('maps spans around a deletion (empty replacement)', () => {
    const lib = Library.open({ dataDir: tempDir() });
    lib.lexicon.add(regex('\\s*\\[citation needed\\]', ''));
    const original = 'Bees dance [citation needed] well.';
    const result = lib.lexicon.applyReplacements(original, 'en-us');
    expect(result.text).toBe('Bees dance well.');
    const w = result.text.indexOf('well');
    expect(original.slice(toOriginalOffset(result.edits, w), toOriginalOffset(result.edits, w + 4, 'end'))).toBe('well');
    expect(original.slice(toOriginalOffset(result.edits, 5), toOriginalOffset(result.edits, 10, 'end'))).toBe('dance');
    lib.close();
  });
});

describe('lexicon: LexiconIndex without the database', () => {
  it('behaves the same when built from entries sent as plain data (as the engine process would)', () => {
    const lib = Library.open({ dataDir: tempDir() });
    lib.lexicon.add(word('Nice', 'nˈis', { caseSensitive: true, lang: 'en-us' }));
    lib.lexicon.add(replace('Dr.', 'Doctor'));
    lib.lexicon.add(regex('\\b(\\d+)km\\b', '$1 kilometres'));
    const sent = JSON.parse(JSON.stringify(lib.lexicon.list())) as LexiconEntry[];
    const index = sandboxedLexiconIndex(sent);
    const text = 'Dr. Jones drove 40km to Nice.';
    expect(index.applyReplacements(text, 'en-us')).toEqual(lib.lexicon.applyReplacements(text, 'en-us'));
    expect(index.lookup('Nice', 'en-us')?.phonemes).toBe('nˈis');
    expect(index.lookup('Nice', 'en-gb')).toBeUndefined();
    index.setEntries([]);
    expect(index.applyReplacements(text, 'en-us').text).toBe(text);
    lib.close();
  });
});

describe('lexicon: regex safety', () => {
  it('rejects an invalid regex at save with LEXICON_RULE_INVALID', () => {
    const lib = Library.open({ dataDir: tempDir() });
    const error = caught(() => lib.lexicon.add(regex('colou(r', 'colour')));
    expect(error.code).toBe('LEXICON_RULE_INVALID');
    expect(error.message).toMatch(/not a valid regular expression/);
    expect(caught(() => lib.lexicon.add(regex('x*', 'y'))).message).toMatch(/matches empty text/);
    expect(caught(() => lib.lexicon.add(regex('(a)\\1', 'y'))).message).toMatch(/backreferences/);
    expect(lib.lexicon.list()).toEqual([]);
    lib.close();
  });

  it('rejects nested quantifiers before they are saved', () => {
    for (const p of ['(a+)+$', '(\\w+\\s?)*x', '(?:x*)+y', '((ab)*c)+', '(a{2,})*b']) expect(hasNestedQuantifier(p), p).toBe(true);
    for (const p of ['(ab)+', 'a+b*', '(a|b)?c+', '[(+)]+', '\\(a+\\)+', '\\p{L}+(?:-\\p{L}+)?', '(x+)?']) expect(hasNestedQuantifier(p), p).toBe(false);
    const lib = Library.open({ dataDir: tempDir() });
    expect(caught(() => lib.lexicon.add(regex('(a+)+$', 'b'))).message).toMatch(/repeated group contains a repeat/);
    lib.close();
  });

  it('catches catastrophic patterns without nested quantifiers with a timed probe', () => {
    // Without the probe's time limit this would run for hours and the test would time out.
    expect(patternProblem('(\\w|\\d)+$', false)).toMatch(/too slow/);
    expect(patternProblem('\\bDr\\.(?=\\s)', false)).toBeUndefined();
  });

  it('bounds a catastrophic rule at run time: switched off, reported, the text read without it', () => {
    const problems: ErrorData[] = [];
    const lib = Library.open({ dataDir: tempDir(), regexTimeoutMs: 50, onProblem: (p) => problems.push(p) });
    lib.lexicon.add(replace('Dr.', 'Doctor'));
    const good = lib.lexicon.add(regex('\\bkm\\b', 'kilometres'));
    // Slip a pattern past the save checks, as an older version or a hand-edited file might.
    const bad = lib.lexicon.add(regex('zzz', 'x'));
    lib.db.connection.prepare(`UPDATE lexicon_entries SET pattern = '(a|aa)+$', match_key = '(a|aa)+$' WHERE id = ?`).run(bad.id);
    const reloaded = new LexiconStore(lib.db, { regexTimeoutMs: 50, onProblem: (p) => problems.push(p) });
    const text = `Dr. Smith ran 5 km. ${'a'.repeat(40)}!`;
    // Unbounded, '(a|aa)+$' on 40 a's and a '!' backtracks for hours: the limit is what ends it.
    const result = reloaded.applyReplacements(text, 'en-us');
    expect(result.text).toBe(`Doctor Smith ran 5 kilometres. ${'a'.repeat(40)}!`);
    expect(reloaded.disabledRules()).toEqual([bad.id]);
    expect(problems.map((p) => [p.code, p.data?.['entryId']])).toEqual([['LEXICON_RULE_INVALID', bad.id]]);
    // Switched off: the next run does not try the rule again (a second timeout would report again).
    expect(reloaded.applyReplacements(text, 'en-us').text).toBe(result.text);
    expect(problems).toHaveLength(1);
    expect(good.id).toBeGreaterThan(0);
    lib.close();
  });

  it('the sandbox interrupts a runaway regex within its time limit', () => {
    const timedOut: number[] = [];
    const sandbox = new RegexSandbox(50, (id) => timedOut.push(id));
    sandbox.setRules([
      { id: 1, source: '^(a+)+$', caseSensitive: true },
      { id: 2, source: 'b', caseSensitive: true },
    ]);
    // 2^34 backtracking steps unbounded: finishing at all shows the sandbox interrupted rule 1.
    const matches = sandbox.matchAll(`${'a'.repeat(34)}b`, [1, 2]);
    expect(matches.map((m) => [m.ruleId, m.start])).toEqual([[2, 34]]);
    expect(timedOut).toEqual([1]);
    sandbox.matchAll(`${'a'.repeat(34)}b`, [1, 2]);
    expect(timedOut).toEqual([1]); // disabled, not tried again
    expect(sandbox.firstFullMatch('aaaa', [1])).toBeUndefined();
  });
});

describe('lexicon: versions, cache invalidation, import and export', () => {
  it('bumps the version on edit and invalidates exactly the cached audio that used the entry', () => {
    const clock = manualClock();
    const lib = Library.open({ dataDir: tempDir(), now: clock.now });
    const kokoro = lib.lexicon.add(word('Kokoro', 'kəkˈɔɹO'));
    const nice = lib.lexicon.add(word('Nice', 'nˈis', { caseSensitive: true }));
    expect(kokoro).toMatchObject({ version: 1, createdAt: clock.now(), updatedAt: clock.now() });
    const audio = { sampleRate: 24_000, samples: testAudio(3, 2400), words: [], sentences: [] };
    const keyOf = (n: number): string => cacheKey({ engine: 'kokoro', modelVersion: 'v1.0', voice: 'af_heart', speed: 1, ids: [n] });
    lib.cache.put(keyOf(1), audio, { lexiconEntryIds: [kokoro.id] });
    lib.cache.put(keyOf(2), audio, { lexiconEntryIds: [kokoro.id, nice.id] });
    lib.cache.put(keyOf(3), audio, { lexiconEntryIds: [nice.id] });
    lib.cache.put(keyOf(4), audio);

    clock.advance();
    const edited = lib.lexicon.update(kokoro.id, { value: 'kˈOkəɹO' });
    expect(edited).toMatchObject({ version: 2, updatedAt: clock.now(), createdAt: clock.now() - 1000, value: 'kˈOkəɹO' });
    expect([1, 2, 3, 4].map((n) => lib.cache.has(keyOf(n)))).toEqual([false, false, true, true]);
    expect(lib.lexicon.userLexicon().lookup('kokoro', 'en-us')?.phonemes).toBe('kˈOkəɹO');

    lib.lexicon.remove(nice.id);
    expect([3, 4].map((n) => lib.cache.has(keyOf(n)))).toEqual([false, true]);
    expect(lib.lexicon.userLexicon().lookup('Nice', 'en-us')).toBeUndefined();
    lib.close();
  });

  it('merges an edit onto the stored row, keeping a change another process made meanwhile', () => {
    const dir = tempDir();
    const app = Library.open({ dataDir: dir });
    const entry = app.lexicon.add(word('Kokoro', 'kəkˈɔɹO'));
    const cli = Library.open({ dataDir: dir });
    cli.lexicon.update(entry.id, { lang: 'en-gb' });
    const edited = app.lexicon.update(entry.id, { note: 'from the app' });
    expect(edited).toMatchObject({ lang: 'en-gb', note: 'from the app', version: 3 });
    cli.close();
    app.close();
  });

  it('exports JSON and imports it into another library (merge and replace)', () => {
    const a = Library.open({ dataDir: tempDir() });
    a.lexicon.add(word('Kokoro', 'kəkˈɔɹO', { note: 'the app' }));
    a.lexicon.add(regex('\\bDr\\.(?=\\s)', 'Doctor', { lang: 'en-gb', caseSensitive: true }));
    const json = a.lexicon.exportJson();
    a.close();
    expect(JSON.parse(json)).toMatchObject({ format: 'kokoro-reader-lexicon', version: 1, entries: [{ pattern: 'Kokoro', note: 'the app' }, { match: 'regex', lang: 'en-gb', caseSensitive: true }] });

    const b = Library.open({ dataDir: tempDir() });
    const keep = b.lexicon.add(word('tomato', 'təmˈATO'));
    b.lexicon.add(word('kokoro', 'kˈOkOɹO'));
    expect(b.lexicon.importJson(json)).toEqual({ added: 1, updated: 1, unchanged: 0, removed: 0 });
    expect(b.lexicon.userLexicon().lookup('Kokoro', 'en-us')?.phonemes).toBe('kəkˈɔɹO');
    expect(b.lexicon.applyReplacements('Dr. No', 'en-gb').text).toBe('Doctor No');
    expect(b.lexicon.importJson(json)).toEqual({ added: 0, updated: 0, unchanged: 2, removed: 0 });
    expect(b.lexicon.importJson(json, 'replace')).toEqual({ added: 0, updated: 0, unchanged: 2, removed: 1 });
    expect(b.lexicon.get(keep.id)).toBeUndefined();
    b.close();
  });

  it('validates an import as a whole: one bad entry and nothing is imported', () => {
    const lib = Library.open({ dataDir: tempDir() });
    const bad = JSON.stringify({
      format: 'kokoro-reader-lexicon',
      version: 1,
      entries: [word('fine', 'fˈIn'), regex('(unclosed', 'x'), word('two', 'tˈu'), word('TWO', 'tˈuː')],
    });
    const error = caught(() => lib.lexicon.importJson(bad));
    expect(error.code).toBe('LEXICON_IMPORT_INVALID');
    expect(error.message).toMatch(/2 invalid entries; nothing was imported\. entry 2: .*not a valid regular expression.* entry 4: .*second entry/);
    expect(lib.lexicon.list()).toEqual([]);
    for (const junk of ['not json', '[]', '{"format":"other","version":1,"entries":[]}', '{"format":"kokoro-reader-lexicon","version":2,"entries":[]}', '{"format":"kokoro-reader-lexicon","version":1,"entries":{}}']) {
      expect(caught(() => lib.lexicon.importJson(junk)).code, junk).toBe('LEXICON_IMPORT_INVALID');
    }
    lib.close();
  });
});
