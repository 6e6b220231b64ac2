import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The team's shared data folder, beside the project (../shared); read in place, never copied. */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const LEXICON_DIR = `${SHARED_DIR}lexicon`;
export const VOCAB_PATH = `${SHARED_DIR}kokoro/vocab.json`;
export const DEV_TSV = `${SHARED_DIR}g2p/us_gold_dev.tsv`;

export const hasLexicon = existsSync(`${LEXICON_DIR}/us_gold.json`);
export const hasVocab = existsSync(VOCAB_PATH);
export const hasDevSet = existsSync(DEV_TSV);
