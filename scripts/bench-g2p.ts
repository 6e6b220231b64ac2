/**
 * G2P benchmark on misaki's gold dev set: npx tsx scripts/bench-g2p.ts [shared-dir] [--mixed] [--model-dir DIR]
 * (other G2P weights than models/g2p; shared-dir defaults to ../shared beside the project: g2p/us_gold_dev.tsv, lexicon/, kokoro/).
 * A row per layer configuration, with and without the neural model (models/g2p); then the
 * model's size and speed, the share of running text that reaches the model with misaki's
 * lexicons installed, whole-text throughput, and phonemize throughput on generated
 * mixed-script text; `--mixed` runs only that last part, `--no-mixed` leaves it out.
 * Words are phonemized on their own (no context), as the reference is a dictionary entry.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledNeuralG2PDir, EspeakPhonemizer, loadCmuDict, loadMisakiLexicon, loadNeuralG2P, loadVocab, NEURAL_G2P_WEIGHTS } from '../src-main/engine/g2p/index';
import { phonemizeText } from '../src-main/engine/kokoro/frontend';
import { G2P, MisakiLexicon, NeuralG2P, phonemesToIds, type CmuDict, type G2PLang, type G2PLayers, type G2POptions, type Phonemizer, type PhonemizeOptions, type WordPhonemes } from '../src-shared/g2p/index';
import { segmentSentences } from '../src-shared/text/segment';
import { mixedScriptText } from '../test/helpers/mixed-script';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const mixedOnly = args.includes('--mixed');
const noMixed = args.includes('--no-mixed');
const modelDirAt = args.indexOf('--model-dir');
const modelDir = modelDirAt >= 0 ? args[modelDirAt + 1] : undefined;
const shared = resolve(args.find((a, i) => !a.startsWith('--') && i !== modelDirAt + 1) ?? join(root, '..', 'shared'));

function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, sub));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

const unstressed = (s: string): string => s.replace(/[ˈˌ]/g, '');

interface Score {
  n: number;
  exact: number;
  exactNoStress: number;
  per: number;
}

function score(pairs: readonly (readonly [hyp: string, ref: string])[]): Score {
  let exact = 0;
  let exactNoStress = 0;
  let edits = 0;
  let length = 0;
  for (const [hyp, ref] of pairs) {
    if (hyp === ref) exact++;
    if (unstressed(hyp) === unstressed(ref)) exactNoStress++;
    edits += editDistance([...hyp], [...ref]);
    length += [...ref].length;
  }
  const n = pairs.length;
  return { n, exact: exact / n, exactNoStress: exactNoStress / n, per: edits / length };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  if (mixedOnly) return mixedScript();
  const tsv = await readFile(join(shared, 'g2p', 'us_gold_dev.tsv'), 'utf8');
  const rows = tsv
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t') as [string, string]);
  const words = rows.map((r) => r[0]);
  const refs = rows.map((r) => r[1]);
  const vocab = await loadVocab(join(shared, 'kokoro', 'vocab.json'));
  const lexicon = await loadMisakiLexicon(join(shared, 'lexicon'));
  if (!lexicon) throw new Error(`no us_gold.json in ${join(shared, 'lexicon')}`);
  const cmudict = await loadCmuDict();
  const neuralDir = modelDir === undefined ? bundledNeuralG2PDir() : resolve(modelDir);
  if (!neuralDir) throw new Error('models/g2p/g2p-en-us.json is missing: run npm run train:g2p');
  const neural = await loadNeuralG2P(neuralDir);
  // Each configuration gets the model with an empty word cache.
  const model = (): NeuralG2P => new NeuralG2P(neural.model);
  await freshEspeak(); // load the WASM before timing

  // Each configuration gets its own eSpeak layer, so none is timed with another's word cache.
  // "plain": without the rewrite rules learned against the gold lexicon (src-shared/g2p/learned).
  const plain: G2POptions = { learnedRules: false };
  // The model's rows first: on a busy machine they are the ones wanted soonest.
  const configs: [string, G2PLayers, G2POptions][] = [
    ['model + eSpeak', { neural: model(), espeak: await freshEspeak() }, {}],
    ['CMUdict + model + eSpeak', { cmudict, neural: model(), espeak: await freshEspeak() }, {}],
    ['model + CMUdict + eSpeak', { cmudict, neural: model(), espeak: await freshEspeak() }, { cmudictAfterModel: true }],
    ['CMUdict + model + eSpeak, plain', { cmudict, neural: model(), espeak: await freshEspeak() }, plain],
    ['eSpeak alone, plain', { espeak: await freshEspeak() }, plain],
    ['eSpeak alone', { espeak: await freshEspeak() }, {}],
    ['CMUdict + eSpeak, plain', { cmudict, espeak: await freshEspeak() }, plain],
    ['CMUdict + eSpeak', { cmudict, espeak: await freshEspeak() }, {}],
    ['misaki lexicons + CMUdict + eSpeak', { misaki: new MisakiLexicon(lexicon), cmudict, espeak: await freshEspeak() }, {}],
    ['misaki lexicons + model + eSpeak', { misaki: new MisakiLexicon(lexicon), neural: model(), espeak: await freshEspeak() }, {}],
    ['misaki lexicons + CMUdict + model + eSpeak', { misaki: new MisakiLexicon(lexicon), cmudict, neural: model(), espeak: await freshEspeak() }, {}],
    ['misaki lexicons + model + CMUdict + eSpeak', { misaki: new MisakiLexicon(lexicon), cmudict, neural: model(), espeak: await freshEspeak() }, { cmudictAfterModel: true }],
  ];

  const table: string[][] = [['layers', 'exact', 'exact (no stress)', 'PER', 'words/s', 'by layer: exact (n)']];
  const notes: string[] = [];
  let dropped = 0;
  for (const [name, layers, options] of configs) {
    const g2p = new G2P(layers, options);
    const t0 = performance.now();
    const out: WordPhonemes[] = await g2p.phonemizeWords(words, 'en-us', { context: false });
    const seconds = (performance.now() - t0) / 1000;
    const all = score(out.map((o, i) => [o.phonemes, refs[i] ?? ''] as const));
    const bySource = new Map<string, [string, string][]>();
    out.forEach((o, i) => {
      const list = bySource.get(o.source) ?? [];
      list.push([o.phonemes, refs[i] ?? '']);
      bySource.set(o.source, list);
    });
    const layerCells = [...bySource.entries()].map(([src, pairs]) => {
      const s = score(pairs);
      return `${src} ${pct(s.exact)} (${s.n})`;
    });
    for (const o of out) dropped += phonemesToIds(o.phonemes, vocab).dropped;
    if (layers.cmudict && !layers.misaki && !layers.neural) {
      // The mapping itself, on the words CMUdict has (the rest are derived or eSpeak's).
      const inDict = out.flatMap((o, i) =>
        Object.hasOwn(cmudict, o.word.toLowerCase()) ? [[o.phonemes, refs[i] ?? ''] as const] : [],
      );
      const s = score(inDict);
      notes.push(
        `${name}, on the ${s.n} words CMUdict has: exact ${pct(s.exact)}, ` +
          `no stress ${pct(s.exactNoStress)}, PER ${pct(s.per)}`,
      );
      if (options.learnedRules !== false) notes.push(goalGap(out, refs, 0.75));
    }
    table.push([
      name,
      pct(all.exact),
      pct(all.exactNoStress),
      pct(all.per),
      Math.round(words.length / seconds).toString(),
      layerCells.join(', '),
    ]);
    // Each row as it is measured (the table below is the aligned summary).
    console.log(`row: ${(table.at(-1) ?? []).join(' | ')}`);
  }

  const widths = table[0]?.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length))) ?? [];
  const line = (r: string[]): string => '| ' + r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ') + ' |';
  console.log(`G2P on ${words.length} words of ${join(shared, 'g2p', 'us_gold_dev.tsv')} (en-us, words on their own)`);
  console.log(line(table[0] ?? []));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of table.slice(1)) console.log(line(r));
  for (const n of notes) console.log(n);
  console.log(`symbols outside vocab.json over all runs: ${dropped}`);

  await modelFigures(neural, neuralDir, words, cmudict);
  for (const text of [join(root, 'scripts', 'bench', 'passage.txt'), join(root, 'README.md')]) {
    // The app's layers first (CMUdict after the model), then CMUdict before it, then without CMUdict.
    await runningText(text, { misaki: new MisakiLexicon(lexicon), cmudict, neural: model(), espeak: await freshEspeak() }, { cmudictAfterModel: true });
    await runningText(text, { misaki: new MisakiLexicon(lexicon), cmudict, neural: model(), espeak: await freshEspeak() });
    await runningText(text, { misaki: new MisakiLexicon(lexicon), neural: model(), espeak: await freshEspeak() });
  }

  for (const [name, layers, options] of configs.filter(([, l, o]) => (l.cmudict || l.neural) && !l.misaki && o.learnedRules !== false)) {
    await wholeText(name, words, layers, options);
  }
  if (!noMixed) await mixedScript();
}

/**
 * The model's size on disk and its speed on its own, warm, one word at a time (no word cache).
 * A model that reads other layers' output gets it beforehand (CMUdict's and eSpeak's, untimed).
 */
async function modelFigures(neural: NeuralG2P, dir: string, words: readonly string[], cmudict: CmuDict): Promise<void> {
  const bytes = (await stat(join(dir, NEURAL_G2P_WEIGHTS))).size;
  const h = neural.model.header;
  const params = h.tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  const hints = await new G2P({ cmudict, espeak: await freshEspeak() }).modelHints(words);
  const sources = words.flatMap((w, i) => {
    const source = neural.sourceFor(neural.inputFor(w) ?? w, hints[i]);
    return source === undefined ? [] : [source];
  });
  for (const source of sources.slice(0, 50)) neural.model.predict(source); // warm up the JIT
  const t0 = performance.now();
  let tokens = 0;
  for (const source of sources) {
    neural.model.predict(source);
    tokens += source.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const reads = neural.hintLayers.length ? `letters + ${neural.hintLayers.join(' + ')}` : 'letters';
  console.log(
    `neural G2P: ${(bytes / 1e6).toFixed(2)} MB (${params} float32 parameters; d=${h.dModel}, ${h.encLayers}+${h.decLayers} layers, reads ${reads}, ` +
      `validation exact ${((h.validationExact ?? 0) * 100).toFixed(1)}% at epoch ${h.epoch ?? '?'}); ` +
      `${Math.round(sources.length / seconds)} words/s on one core, warm, no cache (${sources.length} dev words, ${(tokens / sources.length).toFixed(1)} input tokens each)`,
  );
}

/**
 * The realistic case: running text through the real front-end with misaki's lexicons
 * installed, counting which layer each word's phonemes came from (the share reaching the model).
 */
async function runningText(path: string, layers: G2PLayers, options: G2POptions = {}): Promise<void> {
  const text = await readFile(path, 'utf8');
  const g2p = new G2P(layers, options);
  const counts = new Map<string, number>();
  const reached = new Set<string>();
  const counting: Phonemizer = {
    async phonemizeWords(words: readonly string[], lang: G2PLang, options?: PhonemizeOptions): Promise<WordPhonemes[]> {
      const out = await g2p.phonemizeWords(words, lang, options);
      for (const o of out) {
        if (o.source === 'punct') continue;
        counts.set(o.source, (counts.get(o.source) ?? 0) + 1);
        if (o.source === 'model') reached.add(o.word);
      }
      return out;
    },
  };
  const t0 = performance.now();
  for (const line of text.split('\n')) await phonemizeText(line, 'en-us', counting);
  const seconds = (performance.now() - t0) / 1000;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const share = (src: string): string => pct((counts.get(src) ?? 0) / Math.max(1, total));
  const layerNames = !layers.cmudict
    ? 'misaki lexicons + model + eSpeak'
    : options.cmudictAfterModel
      ? "misaki lexicons + model + CMUdict + eSpeak (the app's)"
      : 'misaki lexicons + CMUdict + model + eSpeak';
  console.log(
    `running text ${path.slice(root.length)} (${total} words), ${layerNames}: ${share('model')} reach the model ` +
      `(${reached.size} distinct: ${[...reached].slice(0, 12).join(', ')}${reached.size > 12 ? ', ...' : ''}); ` +
      `by layer: ${[...counts.entries()].map(([src, n]) => `${src} ${pct(n / total)}`).join(', ')}; ${seconds.toFixed(2)} s`,
  );
}

/**
 * Phonemize throughput on mixed-script text (as `kokoro-reader phonemize` reads it, line by
 * line), at growing sizes: the chars/s should stay level (linear time), and eSpeak NG should
 * print nothing (no "Can't read dictionary file" for scripts it has no dictionary for).
 */
async function mixedScript(): Promise<void> {
  const cmudict = await loadCmuDict();
  let noise = 0;
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    noise += String(chunk).split('\n').filter((l) => l.trim() !== '').length;
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  await freshEspeak(); // load and warm the eSpeak module before timing
  // Lines of 100 characters, and the whole text as one line (a paste with no line breaks).
  for (const [chars, lineChars] of [[5_000, 100], [20_000, 100], [100_000, 100], [5_000, Infinity], [20_000, Infinity], [100_000, Infinity]] as const) {
    const lines = mixedScriptText(chars, lineChars);
    const g2p = new G2P({ cmudict, espeak: await freshEspeak() });
    noise = 0;
    const t0 = performance.now();
    let words = 0;
    for (const line of lines) words += (await phonemizeText(line, 'en-us', g2p)).length;
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `mixed-script text, CMUdict + eSpeak: ${chars} chars (${lines.length} lines, ${words} words) in ${seconds.toFixed(1)} s ` +
        `(${Math.round(chars / seconds)} chars/s), ${noise} lines on stderr`,
    );
  }
  process.stderr.write = write;
}

/**
 * What an exact-match goal asks of the words left to eSpeak (those neither in CMUdict nor
 * derived from it), as they stand and if every dictionary word were right.
 */
function goalGap(out: readonly WordPhonemes[], refs: readonly string[], goal: number): string {
  const isEspeak = out.map((o) => o.source === 'espeak');
  const nEspeak = isEspeak.filter(Boolean).length;
  if (nEspeak === 0) return 'no word was left to eSpeak';
  const nDictionary = out.filter((o) => o.source !== 'espeak' && o.source !== 'none').length;
  const exactEspeak = out.filter((o, i) => isEspeak[i] && o.phonemes === refs[i]).length;
  const exactOther = out.filter((o, i) => !isEspeak[i] && o.phonemes === refs[i]).length;
  const needed = goal * out.length;
  const asIs = (needed - exactOther) / nEspeak;
  const best = (needed - nDictionary) / nEspeak;
  return (
    `${pct(goal)} exact overall needs the ${nEspeak} words left to eSpeak at ${pct(asIs)} exact ` +
    `(they are at ${pct(exactEspeak / nEspeak)}); even with every dictionary word right, at ${pct(best)}`
  );
}

/** An eSpeak layer with an empty word cache (the WASM module itself loads once per process). */
async function freshEspeak(): Promise<EspeakPhonemizer> {
  const espeak = new EspeakPhonemizer();
  await espeak.phonemizeRaw(['zzyzx'], 'en-us');
  return espeak;
}

/**
 * Whole-text throughput: a novel-length text (100,000 words of prose made from the dev words,
 * with numbers, dates and money mixed in) segmented, normalised and phonemised in context.
 */
async function wholeText(
  name: string,
  vocabulary: readonly string[],
  layers: G2PLayers,
  options: G2POptions,
): Promise<void> {
  const extras = ['$3.50', 'on 2024-05-01', 'at 12:30', 'in 1984', 'Dr. Smith', '42%', 'the 3rd'];
  const parts: string[] = [];
  let count = 0;
  for (let i = 0; count < 100_000; i++) {
    const sentence: string[] = [];
    for (let k = 0; k < 12; k++) sentence.push(vocabulary[(i * 12 + k * 7) % vocabulary.length] ?? 'word');
    if (i % 5 === 0) sentence.push(extras[i % extras.length] ?? '');
    count += sentence.length;
    parts.push(`${sentence.join(' ')}.${i % 8 === 7 ? '\n\n' : ' '}`);
  }
  const text = parts.join('');
  const neural = layers.neural ? new NeuralG2P(layers.neural.model) : undefined;
  const g2p = new G2P({ ...layers, neural, espeak: layers.espeak ? await freshEspeak() : undefined }, options);
  const t0 = performance.now();
  const sentences = segmentSentences(text);
  const t1 = performance.now();
  let spoken = 0;
  for (const sentence of sentences) {
    // As the engine reads a segment: one sentence, not split again.
    const words = await phonemizeText(text.slice(sentence.start, sentence.end), 'en-us', g2p, undefined, { oneSentence: true });
    spoken += words.length;
  }
  const t2 = performance.now();
  console.log(
    `whole text, ${name}: ${count} words (${(text.length / 1e6).toFixed(2)} MB, ${sentences.length} sentences): ` +
      `segmented in ${((t1 - t0) / 1000).toFixed(2)} s, normalised + phonemised (${spoken} spoken words) in ${((t2 - t1) / 1000).toFixed(1)} s, ` +
      `total ${((t2 - t0) / 1000).toFixed(1)} s (${Math.round(count / ((t2 - t0) / 1000))} words/s)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
