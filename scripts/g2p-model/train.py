#!/usr/bin/env python3
"""Trains the letters -> misaki phonemes model (src-shared/g2p/neural) on misaki's lexicons.

    npm run train:g2p              # the committed weights: models/g2p/
    python3 scripts/g2p-model/train.py --dump-split   # training/validation words as JSON, no torch

Which words may be learned from is ../shared/g2p/SPLIT.md: the test bucket (first byte of
sha256(word) % 16 == 0) and every dev-set word are dropped before anything else; validation is
a slice of what remains. Deterministic: fixed seeds, one thread, fixed epoch count.
"""
import argparse
import hashlib
import json
import math
import os
import random
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(REPO), 'shared')

SRC_SPECIALS = ['<pad>', '<unk>']
TGT_SPECIALS = ['<pad>', '<bos>', '<eos>']
FORMAT = 'kokoro-reader-g2p-transformer/1'
# How another layer's output joins the letters (NeuralG2PHint in src-shared/g2p/neural/weights.ts):
# a marker, then that layer's symbols with a prefix, so they are not read as letters.
HINT_TOKENS = {'espeak': ('<e>', 'e'), 'cmudict': ('<c>', 'c')}
# With --style-tokens, each word starts with its lexicon's token (header styleToken: what the app asks for).
GOLD_STYLE, SILVER_STYLE = '<gold>', '<silver>'


def in_test_bucket(word):
    return hashlib.sha256(word.encode('utf-8')).digest()[0] % 16 == 0


def in_validation(word):
    # A second hash byte picks ~1 in 64 of the training words, independent of the bucket rule.
    return hashlib.sha256(word.encode('utf-8')).digest()[1] % 64 == 0


def to_v1(phonemes):
    """Kokoro v1.0 symbols: misaki maps the flap and glottal stop last (symbols.ts toV1)."""
    return phonemes.replace('ɾ', 'T').replace('ʔ', 't')


def entry_phonemes(value):
    """A lexicon value: a string, or a dict keyed by part of speech (DEFAULT, else the first)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if isinstance(value.get('DEFAULT'), str):
            return value['DEFAULT']
        for v in value.values():
            if isinstance(v, str):
                return v
    return None


def read_dev_words(path):
    words = set()
    with open(path, encoding='utf-8') as f:
        for line in f:
            word = line.rstrip('\n').split('\t')[0]
            if word:
                words.add(word)
    return words


def gold_words(lexicon_dir):
    """The words of the gold lexicon: hand-checked, the style the model should speak in."""
    path = os.path.join(lexicon_dir, 'us_gold.json')
    if not os.path.exists(path):
        return set()
    with open(path, encoding='utf-8') as f:
        return set(json.load(f))


def load_split(lexicon_dir, dev_path):
    """(train, validation) lists of (word, phonemes): gold first, silver for words gold lacks."""
    dev = read_dev_words(dev_path)
    pairs = {}
    for name in ('us_gold.json', 'us_silver.json'):
        path = os.path.join(lexicon_dir, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding='utf-8') as f:
            lexicon = json.load(f)
        for word, value in lexicon.items():
            if word in pairs or in_test_bucket(word) or word in dev:
                continue
            ps = entry_phonemes(value)
            if ps:
                pairs[word] = to_v1(ps)
    train, valid = [], []
    for word in sorted(pairs):
        (valid if in_validation(word) else train).append((word, pairs[word]))
    return train, valid


def read_hints(path):
    """hints.ts's TSV: word -> {'espeak': ..., 'cmudict': ...} ('' where the layer has nothing)."""
    hints = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            word, espeak, cmudict = line.rstrip('\n').split('\t')
            hints[word] = {'espeak': espeak, 'cmudict': cmudict}
    return hints


def source_tokens(word, said, layers, style=None):
    """The model's input: the style token, the letters, then each hint layer's marker and prefixed symbols (as NeuralG2P.sourceFor)."""
    tokens = ([style] if style else []) + list(word)
    for layer in layers:
        marker, prefix = HINT_TOKENS[layer]
        if said[layer]:
            tokens += [marker] + [prefix + s for s in said[layer]]
    return tuple(tokens)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--lexicon-dir', default=os.path.join(SHARED, 'lexicon'))
    ap.add_argument('--dev', default=os.path.join(SHARED, 'g2p', 'us_gold_dev.tsv'))
    ap.add_argument('--out-dir', default=os.path.join(REPO, 'models', 'g2p'))
    ap.add_argument('--dump-split', action='store_true', help='print {"train": [...], "validation": [...]} words and exit')
    ap.add_argument('--dump-validation', action='store_true', help='print the validation slice as [[word, phonemes], ...] and exit (calibrate.ts)')
    ap.add_argument('--epochs', type=int, default=4, help='length of the learning-rate schedule')
    ap.add_argument('--stop-after', type=int, default=0, help='stop after this epoch (same weights as that epoch of a full run)')
    ap.add_argument('--d-model', type=int, default=128)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--ffn', type=int, default=512)
    ap.add_argument('--enc-layers', type=int, default=3)
    ap.add_argument('--dec-layers', type=int, default=2)
    ap.add_argument('--batch-tokens', type=int, default=3000)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--seed', type=int, default=17)
    ap.add_argument('--limit', type=int, default=0, help='train on the first N words only (timing runs)')
    ap.add_argument('--hints', default='', help='comma-separated layers whose output the model reads after the letters: espeak, cmudict')
    ap.add_argument('--hints-file', help="hints.ts's TSV for the training and validation words (needed with --hints)")
    ap.add_argument('--style-tokens', action='store_true',
                    help='start each word with <gold> or <silver>, its lexicon; the app always asks for <gold>')
    ap.add_argument('--init-from', help='start from the weights in this folder (same --hints and --style-tokens) instead of random ones')
    ap.add_argument('--grow', action='store_true',
                    help='with --init-from: this run may have more --enc-layers/--dec-layers, and more --hints layers after the same ones; '
                         'the added layers start as the identity')
    ap.add_argument('--average-last', type=int, default=0, help="after the last epoch, also try the mean of the last N epochs' weights")
    ap.add_argument('--validate-on', choices=('all', 'gold'), default='all',
                    help="which words of the validation slice choose the epoch kept: all (the committed weights') or gold's only")
    ap.add_argument('--train-on', choices=('all', 'gold'), default='all',
                    help="which training words the steps see: all, or gold's only (a fine-tune toward the style the app asks for; "
                         'the vocabularies still come from all, so --init-from fits)')
    args = ap.parse_args()

    if args.grow and not args.init_from:
        sys.exit('--grow grows the weights of --init-from DIR: pass that too')
    train, valid = load_split(args.lexicon_dir, args.dev)
    gold = gold_words(args.lexicon_dir)
    # --train-on gold: the steps see gold's words only; the vocabularies still come from all of train.
    stepped = [(w, p) for w, p in train if w in gold] if args.train_on == 'gold' else train
    if args.dump_split:
        json.dump({'train': [w for w, _ in stepped], 'validation': [w for w, _ in valid]}, sys.stdout, ensure_ascii=False)
        return
    if args.dump_validation:
        if args.validate_on == 'gold':
            valid = [(w, p) for w, p in valid if w in gold]
        json.dump(valid, sys.stdout, ensure_ascii=False)
        return
    from model import train_model  # torch only from here on
    layers = [h for h in args.hints.split(',') if h]
    extra = {}
    said = {}
    if layers:
        unknown = [h for h in layers if h not in HINT_TOKENS]
        if unknown or not args.hints_file:
            sys.exit(f'--hints takes {", ".join(HINT_TOKENS)} and needs --hints-file (from hints.ts)')
        said = read_hints(args.hints_file)
        missing = [w for w, _ in train + valid if w not in said]
        if missing:
            sys.exit(f'{args.hints_file} lacks {len(missing)} training words (e.g. {missing[0]!r}): rerun hints.ts')
        extra['hints'] = [{'layer': h, 'marker': HINT_TOKENS[h][0], 'prefix': HINT_TOKENS[h][1]} for h in layers]
    # Silver entries are machine-made and much easier (measured: ~86% right where gold's are ~53%),
    # so a validation slice of both mostly measures silver; the dev set and the app want gold's.
    if args.validate_on == 'gold':
        valid = [(w, p) for w, p in valid if w in gold]
    style = (lambda w: GOLD_STYLE if w in gold else SILVER_STYLE) if args.style_tokens else (lambda w: None)
    if args.style_tokens:
        extra['styleToken'] = GOLD_STYLE
    as_source = lambda pairs: [(source_tokens(w, said.get(w), layers, style(w)), p) for w, p in pairs]
    vocabulary_words = as_source(train)
    train = as_source(stepped)
    valid = as_source(valid)
    print(f'training words {len(train)}, validation words {len(valid)}', flush=True)
    train_model(train, valid, args, FORMAT, SRC_SPECIALS, TGT_SPECIALS, extra, vocabulary_words)


if __name__ == '__main__':
    main()
