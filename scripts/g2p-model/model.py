"""A small pre-LayerNorm transformer, letters -> phonemes, written out so that
src-shared/g2p/neural/transformer.ts can mirror it operation for operation."""
import hashlib
import json
import math
import os
import random
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def sinusoids(length, d):
    pos = torch.arange(length, dtype=torch.float32).unsqueeze(1)
    div = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
    pe = torch.zeros(length, d)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    return pe


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.o = nn.Linear(d, d)

    def forward(self, x, mem, mask):
        # mask: broadcastable to (batch, heads, tq, tk), True where attention is not allowed
        b, tq, d = x.shape
        tk = mem.shape[1]
        h = self.heads
        q = self.q(x).view(b, tq, h, d // h).transpose(1, 2)
        k = self.k(mem).view(b, tk, h, d // h).transpose(1, 2)
        v = self.v(mem).view(b, tk, h, d // h).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // h)
        scores = scores.masked_fill(mask, float('-inf'))
        out = torch.softmax(scores, dim=-1) @ v
        return self.o(out.transpose(1, 2).reshape(b, tq, d))


class FeedForward(nn.Module):
    def __init__(self, d, ffn):
        super().__init__()
        self.w1 = nn.Linear(d, ffn)
        self.w2 = nn.Linear(ffn, d)

    def forward(self, x, drop):
        return self.w2(F.dropout(F.relu(self.w1(x)), drop, self.training))


class EncoderLayer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.att = Attention(d, heads)
        self.ln2 = nn.LayerNorm(d)
        self.ff = FeedForward(d, ffn)

    def forward(self, x, mask, drop):
        y = self.ln1(x)
        x = x + F.dropout(self.att(y, y, mask), drop, self.training)
        return x + F.dropout(self.ff(self.ln2(x), drop), drop, self.training)


class DecoderLayer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.self_att = Attention(d, heads)
        self.ln2 = nn.LayerNorm(d)
        self.cross_att = Attention(d, heads)
        self.ln3 = nn.LayerNorm(d)
        self.ff = FeedForward(d, ffn)

    def forward(self, x, mem, self_mask, mem_mask, drop):
        y = self.ln1(x)
        x = x + F.dropout(self.self_att(y, y, self_mask), drop, self.training)
        x = x + F.dropout(self.cross_att(self.ln2(x), mem, mem_mask), drop, self.training)
        return x + F.dropout(self.ff(self.ln3(x), drop), drop, self.training)


class G2PTransformer(nn.Module):
    def __init__(self, n_src, n_tgt, d, heads, ffn, enc_layers, dec_layers, drop=0.1):
        super().__init__()
        self.d = d
        self.drop = drop
        self.src_emb = nn.Embedding(n_src, d)
        self.tgt_emb = nn.Embedding(n_tgt, d)
        self.enc = nn.ModuleList([EncoderLayer(d, heads, ffn) for _ in range(enc_layers)])
        self.enc_ln = nn.LayerNorm(d)
        self.dec = nn.ModuleList([DecoderLayer(d, heads, ffn) for _ in range(dec_layers)])
        self.dec_ln = nn.LayerNorm(d)
        self.out = nn.Linear(d, n_tgt)
        self.register_buffer('pe', sinusoids(512, d), persistent=False)
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)

    def embed(self, emb, ids):
        x = emb(ids) * math.sqrt(self.d) + self.pe[: ids.shape[1]]
        return F.dropout(x, self.drop, self.training)

    def encode(self, src):
        mask = (src == 0)[:, None, None, :]
        x = self.embed(self.src_emb, src)
        for layer in self.enc:
            x = layer(x, mask, self.drop)
        return self.enc_ln(x), mask

    def decode(self, tgt_in, mem, mem_mask):
        t = tgt_in.shape[1]
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)[None, None]
        x = self.embed(self.tgt_emb, tgt_in)
        for layer in self.dec:
            x = layer(x, mem, causal, mem_mask, self.drop)
        return self.out(self.dec_ln(x))

    def forward(self, src, tgt_in):
        mem, mem_mask = self.encode(src)
        return self.decode(tgt_in, mem, mem_mask)

    @torch.no_grad()
    def greedy(self, src, max_len):
        mem, mem_mask = self.encode(src)
        b = src.shape[0]
        ys = torch.full((b, 1), 1, dtype=torch.long)  # <bos>
        done = torch.zeros(b, dtype=torch.bool)
        for _ in range(max_len):
            nxt = self.decode(ys, mem, mem_mask)[:, -1].argmax(-1)
            nxt = nxt.masked_fill(done, 0)
            ys = torch.cat([ys, nxt[:, None]], 1)
            done |= nxt == 2
            if done.all():
                break
        return ys[:, 1:]


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def batches(pairs, batch_tokens, rng):
    """Words of similar length together; batch order shuffled."""
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]), rng.random()))
    out, cur, longest = [], [], 0
    for i in order:
        n = max(len(pairs[i][0]), len(pairs[i][1])) + 2
        if cur and max(longest, n) * (len(cur) + 1) > batch_tokens:
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def pad(seqs):
    n = max(len(s) for s in seqs)
    return torch.tensor([s + [0] * (n - len(s)) for s in seqs], dtype=torch.long)


def evaluate(model, pairs, src_ids, tgt_syms):
    model.eval()
    exact, errors, total = 0, 0, 0
    for start in range(0, len(pairs), 256):
        chunk = pairs[start: start + 256]
        src = pad([src_ids(w) for w, _ in chunk])
        out = model.greedy(src, max(len(w) for w, _ in chunk) * 2 + 5)
        for (_, ps), row in zip(chunk, out.tolist()):
            got = ''.join(tgt_syms[i] for i in (row[: row.index(2)] if 2 in row else row) if i > 2)
            exact += got == ps
            errors += edit_distance(list(got), list(ps))
            total += len(ps)
    model.train()
    return exact / len(pairs), errors / total


def save(model, cfg, out_dir, meta):
    """models/g2p/g2p-en-us.bin (little-endian float32 tensors, back to back) + .json header."""
    os.makedirs(out_dir, exist_ok=True)
    tensors, blob, offset = [], bytearray(), 0
    for name, p in model.state_dict().items():
        data = p.detach().to(torch.float32).contiguous().view(-1).tolist()
        blob += struct.pack(f'<{len(data)}f', *data)
        tensors.append({'name': name, 'shape': list(p.shape), 'offset': offset})
        offset += len(data) * 4
    header = {**cfg, **meta, 'sha256': hashlib.sha256(bytes(blob)).hexdigest(), 'tensors': tensors}
    for ext, payload in (('.bin', bytes(blob)), ('.json', (json.dumps(header, ensure_ascii=False, indent=1) + '\n').encode('utf-8'))):
        path = os.path.join(out_dir, 'g2p-en-us' + ext)
        with open(path + '.tmp', 'wb') as f:
            f.write(payload)
        os.replace(path + '.tmp', path)


def load_weights(model, in_dir, src_vocab, tgt_vocab, args, run_cfg=None):
    """Starts from weights save() wrote (--init-from): same sizes and vocabularies, or an error.

    With --grow, the run may have more layers, and more hint layers after the same ones (more input
    symbols), than those weights: their tensors are copied by name and their embedding rows by
    symbol, and each added layer starts as the identity (its residual branches' output projections
    zeroed). So on inputs of the old symbols the grown model first says what the smaller one said;
    the new symbols start from random embeddings."""
    with open(os.path.join(in_dir, 'g2p-en-us.json'), encoding='utf-8') as f:
        header = json.load(f)
    grow = getattr(args, 'grow', False)
    if header['tgtVocab'] != tgt_vocab or (header['srcVocab'] != src_vocab and not grow):
        raise SystemExit(f'--init-from {in_dir}: its vocabularies differ from this training set (other --hints or --style-tokens?)')
    if run_cfg is not None:
        # The input's layout must stay: the same style token first, the same hint layers in the same order.
        old_hints = [h['layer'] for h in header.get('hints', [])]
        new_hints = [h['layer'] for h in run_cfg.get('hints', [])]
        if header.get('styleToken') != run_cfg.get('styleToken') or new_hints[: len(old_hints)] != old_hints:
            raise SystemExit(f'--init-from {in_dir}: it was trained with --hints {",".join(old_hints) or "(none)"}'
                             f'{" --style-tokens" if header.get("styleToken") else ""}; keep those (--grow may add hint layers after them)')
    missing_symbols = sorted(set(header['srcVocab']) - set(src_vocab))
    if missing_symbols:
        raise SystemExit(f'--init-from {in_dir}: this training set lacks its input symbols {missing_symbols[:5]}')
    sizes = {'dModel': args.d_model, 'heads': args.heads, 'ffn': args.ffn, 'encLayers': args.enc_layers, 'decLayers': args.dec_layers}
    deeper = {'encLayers', 'decLayers'} if grow else set()
    other = {k: header.get(k) for k, v in sizes.items()
             if header.get(k) != v and not (k in deeper and isinstance(header.get(k), int) and header[k] <= v)}
    if other:
        raise SystemExit(f'--init-from {in_dir}: its sizes {other} differ from this run\'s; pass the same --d-model, --heads, --ffn, '
                         '--enc-layers, --dec-layers (or, with --grow, at least as many layers)')
    with open(os.path.join(in_dir, 'g2p-en-us.bin'), 'rb') as f:
        blob = f.read()
    if hashlib.sha256(blob).hexdigest() != header['sha256']:
        raise SystemExit(f'--init-from {in_dir}: g2p-en-us.bin is not the file its header describes (sha256 differs)')
    state = model.state_dict()
    names = {t['name'] for t in header['tensors']}
    if not names <= set(state) or (not grow and names != set(state)):
        raise SystemExit(f'--init-from {in_dir}: its tensors are not this model\'s')
    row_of = {c: i for i, c in enumerate(src_vocab)}
    for t in header['tensors']:
        p = state[t['name']]
        values = torch.tensor(struct.unpack_from(f'<{math.prod(t["shape"])}f', blob, t['offset']), dtype=torch.float32).view(t['shape'])
        if t['name'] == 'src_emb.weight' and header['srcVocab'] != src_vocab:
            p[[row_of[c] for c in header['srcVocab']]] = values
        elif list(p.shape) == t['shape']:
            p.copy_(values)
        else:
            raise SystemExit(f"--init-from {in_dir}: tensor {t['name']} {t['shape']} does not fit this model's sizes")
    added = sorted({tuple(n.split('.')[:2]) for n in state if n not in names}, key=lambda k: (k[0], int(k[1])))
    added = [f'{stack}.{index}' for stack, index in added]
    for prefix in added:
        for branch in ('att.o', 'self_att.o', 'cross_att.o', 'ff.w2'):
            for kind in ('weight', 'bias'):
                if f'{prefix}.{branch}.{kind}' in state:
                    state[f'{prefix}.{branch}.{kind}'].zero_()
    grown = f", added layers {', '.join(added)}" if added else ''
    new_symbols = len(src_vocab) - len(header['srcVocab'])
    grown += f', {new_symbols} new input symbols' if new_symbols else ''
    print(f"starting from {in_dir} (epoch {header.get('epoch')} of its run, sha256 {header['sha256'][:12]}{grown})", flush=True)
    return header['sha256']


def train_model(train, valid, args, fmt, src_specials, tgt_specials, extra_cfg=None, vocabulary_words=None):
    """vocabulary_words: the pairs the vocabularies come from, when the steps see only some of them (default: train)."""
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    vocabulary_words = vocabulary_words or train
    src_vocab = src_specials + sorted({c for w, _ in vocabulary_words for c in w})
    tgt_vocab = tgt_specials + sorted({c for _, p in vocabulary_words for c in p})
    src_index = {c: i for i, c in enumerate(src_vocab)}
    tgt_index = {c: i for i, c in enumerate(tgt_vocab)}
    src_ids = lambda w: [src_index.get(c, 1) for c in w]
    tgt_ids = lambda p: [tgt_index[c] for c in p if c in tgt_index]
    if args.limit:
        # After the vocabularies, so a timing run's model has the full run's sizes (and --init-from fits).
        train = train[: args.limit]

    model = G2PTransformer(len(src_vocab), len(tgt_vocab), args.d_model, args.heads, args.ffn, args.enc_layers, args.dec_layers)
    init_sha = load_weights(model, args.init_from, src_vocab, tgt_vocab, args, extra_cfg or {}) if args.init_from else None
    n_params = sum(p.numel() for p in model.parameters())
    print(f'parameters {n_params} ({n_params * 4 / 1e6:.2f} MB as float32)', flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.98), eps=1e-9)
    steps_per_epoch = len(batches(train, args.batch_tokens, random.Random(0)))
    total = steps_per_epoch * args.epochs
    warmup = max(1, min(1000, total // 10))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, 0.5 * (1 + math.cos(math.pi * min(1.0, (s - warmup) / max(1, total - warmup))))))
    cfg = {
        'format': fmt,
        'srcVocab': src_vocab,
        'tgtVocab': tgt_vocab,
        'dModel': args.d_model,
        'heads': args.heads,
        'ffn': args.ffn,
        'encLayers': args.enc_layers,
        'decLayers': args.dec_layers,
        **(extra_cfg or {}),
        **({'initFrom': init_sha} if init_sha else {}),
    }
    # Every other validation word: the per-epoch greedy decode stays under a minute on one thread.
    valid_eval = valid[::2]
    best = -1.0
    epoch_states = []
    started = time.time()
    step = 0
    for epoch in range(1, args.epochs + 1):
        loss_sum, n = 0.0, 0
        for idx in batches(train, args.batch_tokens, rng):
            src = pad([src_ids(train[i][0]) for i in idx])
            tgt = pad([[1] + tgt_ids(train[i][1]) + [2] for i in idx])
            logits = model(src, tgt[:, :-1])
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1), ignore_index=0, label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            loss_sum += loss.item()
            n += 1
            if step % 200 == 0:
                print(f'  step {step}/{total} loss {loss_sum / n:.4f} {time.time() - started:.0f}s', flush=True)
        acc, per = evaluate(model, valid_eval, src_ids, tgt_vocab)
        print(f'epoch {epoch}: loss {loss_sum / max(1, n):.4f}, validation exact {acc * 100:.2f}% PER {per * 100:.2f}% '
              f'({len(valid_eval)} words) {time.time() - started:.0f}s', flush=True)
        if acc > best:
            best = acc
            save(model, cfg, args.out_dir, {
                'epoch': epoch,
                'validationExact': round(acc, 4),
                'validationPer': round(per, 4),
                'trainingWords': len(train),
                'validationWords': len(valid_eval),
                'seed': args.seed,
            })
            print(f'  saved epoch {epoch} -> {args.out_dir}', flush=True)
        if args.average_last > 1:
            epoch_states.append({k: v.detach().clone() for k, v in model.state_dict().items()})
            epoch_states = epoch_states[-args.average_last:]
        if epoch == args.stop_after:
            break
    if args.average_last > 1 and len(epoch_states) < args.average_last:
        print(f'--average-last {args.average_last}: only {len(epoch_states)} epochs ran, no mean tried', flush=True)
    if args.average_last > 1 and len(epoch_states) == args.average_last:
        # The mean of the last epochs' weights: often a little better than any one of them.
        model.load_state_dict({k: sum(s[k] for s in epoch_states) / len(epoch_states) for k in epoch_states[0]})
        acc, per = evaluate(model, valid_eval, src_ids, tgt_vocab)
        first = epoch - len(epoch_states) + 1
        print(f'mean of epochs {first}-{epoch}: validation exact {acc * 100:.2f}% PER {per * 100:.2f}%', flush=True)
        if acc > best:
            save(model, cfg, args.out_dir, {
                'epoch': f'mean of {first}-{epoch}',
                'validationExact': round(acc, 4),
                'validationPer': round(per, 4),
                'trainingWords': len(train),
                'validationWords': len(valid_eval),
                'seed': args.seed,
            })
            print(f'  saved the mean of epochs {first}-{epoch} -> {args.out_dir}', flush=True)
