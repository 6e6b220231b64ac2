import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, ERROR_CATALOGUE } from '../../src-shared/errors/catalogue';
import type { ErrorCode } from '../../src-shared/errors/catalogue';
import { ModelManager, parseManifest } from '../../src-main/services/models';
import type { ModelManagerOptions, ModelManifest, ModelProgress } from '../../src-main/services/models';
import { FixtureServer } from './fixture-server';

const REV = '0123456789abcdef0123456789abcdef01234567';

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A fake TFLite file: random bytes with the "TFL3" identifier where TFLite has it. */
function fakeTflite(size: number): Buffer {
  const bytes = randomBytes(size);
  bytes.write('TFL3', 4, 'latin1');
  return bytes;
}

const BIG = fakeTflite(300_000);
const BASIS = randomBytes(880);
const LEXICON = Buffer.from(JSON.stringify({ hello: 'həlˈO', world: 'wˈɜɹld', padding: 'x'.repeat(20_000) }));

const PATHS = {
  big: `/owner/repo/resolve/${REV}/model.tflite`,
  basis: `/owner/repo/resolve/${REV}/basis.bin`,
  lexicon: `/owner/lex/${REV}/data/lexicon.json`,
};

let server: FixtureServer;
let work: string;
let dir: string;

function manifestFor(srv: FixtureServer): ModelManifest {
  return parseManifest({
    schemaVersion: 1,
    id: 'test',
    description: 'fixtures',
    files: [
      { name: 'model.tflite', role: 'predictor', format: 'tflite', revision: REV, url: srv.url(PATHS.big), size: BIG.length, sha256: sha256(BIG) },
      { name: 'basis.bin', role: 'basis', format: 'float32', revision: REV, url: srv.url(PATHS.basis), size: 880, sha256: sha256(BASIS) },
      // Size and checksum unknown, as most real entries are today.
      { name: 'lexicon.json', role: 'lexicon', format: 'json', path: 'data/lexicon.json', revision: REV, url: srv.url(PATHS.lexicon), size: null, sha256: null },
    ],
  });
}

function makeManager(options: Partial<ModelManagerOptions> = {}): ModelManager {
  return new ModelManager({ dir, manifest: manifestFor(server), attempts: 1, retryDelayMs: 1, idleTimeoutMs: 5000, ...options });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof AppError) return thrown;
    throw thrown;
  }
  throw new Error('expected a rejection');
}

function expectCode(error: AppError, code: ErrorCode): void {
  expect(error.code).toBe(code);
  expect(error.message.startsWith(ERROR_CATALOGUE[code].message)).toBe(true);
}

async function expectInstalled(): Promise<void> {
  expect(sha256(await readFile(join(dir, 'model.tflite')))).toBe(sha256(BIG));
  expect(sha256(await readFile(join(dir, 'basis.bin')))).toBe(sha256(BASIS));
  expect(sha256(await readFile(join(dir, 'lexicon.json')))).toBe(sha256(LEXICON));
}

async function leftovers(): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.partial') || f.endsWith('.partial.json') || f.endsWith('.import') || f === '.download.lock');
}

beforeEach(async () => {
  server = new FixtureServer();
  await server.start();
  server.serve(PATHS.big, BIG);
  server.serve(PATHS.basis, BASIS);
  server.serve(PATHS.lexicon, LEXICON);
  work = await mkdtemp(join(tmpdir(), 'kr-models-'));
  dir = join(work, 'models');
});

afterEach(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('download', () => {
  it('downloads every file, reporting progress per file and overall, and verifies them', async () => {
    const events: ModelProgress[] = [];
    const summary = await makeManager().download({ onProgress: (p) => events.push(p) });
    expect(summary.downloaded).toEqual(['model.tflite', 'basis.bin', 'lexicon.json']);
    expect(summary.bytesTransferred).toBe(BIG.length + BASIS.length + LEXICON.length);
    await expectInstalled();
    expect(await leftovers()).toEqual([]);

    const big = events.filter((e) => e.file === 'model.tflite' && e.phase === 'downloading');
    expect(big.length).toBeGreaterThan(1);
    expect(big.every((e) => e.fileTotal === BIG.length && e.fileCount === 3 && e.fileIndex === 0)).toBe(true);
    const bytes = big.map((e) => e.fileBytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(bytes.at(-1)).toBe(BIG.length);
    const overall = events.map((e) => e.overallBytes);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
    const last = events.at(-1);
    expect(last).toMatchObject({ file: 'lexicon.json', phase: 'done', overallBytes: BIG.length + BASIS.length + LEXICON.length });
    // Once every server answer gave a length, the total is exact.
    expect(last?.overallTotal).toBe(BIG.length + BASIS.length + LEXICON.length);
    expect(last?.overallTotalExact).toBe(true);
    expect(server.requests.every((r) => r.range === undefined)).toBe(true);
  });

  it('skips files that are installed and verified, without a request', async () => {
    await makeManager().download();
    const before = server.requests.length;
    const summary = await makeManager().download();
    expect(summary).toMatchObject({ downloaded: [], skipped: ['model.tflite', 'basis.bin', 'lexicon.json'], bytesTransferred: 0 });
    expect(server.requests.length).toBe(before);
  });

  it('resumes an interrupted transfer with a Range request on the next run, byte-identical', async () => {
    server.fault(PATHS.big, { kind: 'cut', after: 120_000 });
    const error = await rejection(makeManager().download());
    expectCode(error, 'DOWNLOAD_FAILED');
    expect(existsSync(join(dir, 'model.tflite'))).toBe(false);
    const partial = (await stat(join(dir, 'model.tflite.partial'))).size;
    expect(partial).toBe(120_000);

    const summary = await makeManager().download();
    const second = server.requestsFor(PATHS.big).at(-1);
    expect(second).toMatchObject({ range: `bytes=${partial}-`, status: 206 });
    expect(second?.ifRange).toBe(server.files.get(PATHS.big)?.etag);
    expect(summary.downloaded).toContain('model.tflite');
    expect(summary.bytesTransferred).toBe(BIG.length - partial + BASIS.length + LEXICON.length);
    await expectInstalled();
    expect(await leftovers()).toEqual([]);
  });

  it('finishes a partial download that already has every byte without fetching it again', async () => {
    await mkdir(dir, { recursive: true });
    // Known size: no request at all. Unknown size: the server answers 416 with the total.
    await writeFile(join(dir, 'model.tflite.partial'), BIG);
    await writeFile(join(dir, 'lexicon.json.partial'), LEXICON);
    await writeFile(join(dir, 'lexicon.json.partial.json'), JSON.stringify({ url: server.url(PATHS.lexicon), etag: server.files.get(PATHS.lexicon)?.etag, lastModified: null, total: null }));
    const summary = await makeManager().download();
    expect(server.requestsFor(PATHS.big)).toEqual([]);
    expect(server.requestsFor(PATHS.lexicon).map((r) => [r.range, r.status])).toEqual([[`bytes=${LEXICON.length}-`, 416]]);
    expect(summary.bytesTransferred).toBe(BASIS.length);
    await expectInstalled();
    expect(await leftovers()).toEqual([]);
  });

  it('discards a partial file it cannot trust', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'model.tflite.partial'), randomBytes(BIG.length + 10)); // longer than the file
    await writeFile(join(dir, 'lexicon.json.partial'), Buffer.from('{"stale": ')); // no record of its source
    await makeManager().download();
    expect(server.requests.every((r) => r.range === undefined)).toBe(true);
    await expectInstalled();
  });

  it('retries a dropped connection within one run, resuming from where it stopped', async () => {
    server.fault(PATHS.big, { kind: 'cut', after: 64_000 });
    await makeManager({ attempts: 2 }).download();
    const [first, second] = server.requestsFor(PATHS.big);
    expect(first?.range).toBeUndefined();
    expect(second).toMatchObject({ range: 'bytes=64000-', status: 206 });
    await expectInstalled();
  });

  it('starts over when the file changed on the server since the partial download', async () => {
    server.fault(PATHS.lexicon, { kind: 'cut', after: 5_000 });
    await rejection(makeManager().download());
    expect(existsSync(join(dir, 'lexicon.json.partial'))).toBe(true);
    const changed = Buffer.from(JSON.stringify({ changed: true, padding: 'y'.repeat(30_000) }));
    server.serve(PATHS.lexicon, changed, '"v2"');
    await makeManager().download();
    // If-Range did not match the new ETag, so the server sent the whole new file: no splice.
    expect(server.requestsFor(PATHS.lexicon).at(-1)).toMatchObject({ status: 200 });
    expect(sha256(await readFile(join(dir, 'lexicon.json')))).toBe(sha256(changed));
  });

  it('rejects a corrupted file: checksum mismatch, the bad file removed, no final file', async () => {
    const corrupted = Buffer.from(BASIS);
    corrupted[100] = (corrupted[100] ?? 0) ^ 0xff;
    server.serve(PATHS.basis, corrupted);
    const error = await rejection(makeManager().download());
    expectCode(error, 'CHECKSUM_MISMATCH');
    expect(error.message).toContain('basis.bin');
    expect(ERROR_CATALOGUE.CHECKSUM_MISMATCH.fix).toMatch(/download again/);
    expect(existsSync(join(dir, 'basis.bin'))).toBe(false);
    expect(existsSync(join(dir, 'basis.bin.partial'))).toBe(false);
    // The file before it is installed; a retry fetches only what is left.
    expect(sha256(await readFile(join(dir, 'model.tflite')))).toBe(sha256(BIG));
  });

  it('rejects a file of the wrong size before downloading it', async () => {
    server.serve(PATHS.basis, randomBytes(1000));
    const error = await rejection(makeManager().download());
    expectCode(error, 'CHECKSUM_MISMATCH');
    expect(error.message).toContain('1000 bytes, expected 880');
    expect(existsSync(join(dir, 'basis.bin'))).toBe(false);
  });

  it('rejects a file in the wrong format even when no checksum is known', async () => {
    server.serve(PATHS.lexicon, Buffer.from('<html>Sign in</html>'));
    const error = await rejection(makeManager().download());
    expectCode(error, 'CHECKSUM_MISMATCH');
    expect(error.message).toContain('not valid JSON');
    expect(existsSync(join(dir, 'lexicon.json'))).toBe(false);
  });

  it('reports HTTP 404 and 500 as catalogue errors with the status', async () => {
    server.files.delete(PATHS.basis);
    const notFound = await rejection(makeManager().download());
    expectCode(notFound, 'DOWNLOAD_HTTP_ERROR');
    expect(notFound.message).toContain('HTTP 404 not found');
    expect(notFound.data).toMatchObject({ status: 404, file: 'basis.bin' });

    server.serve(PATHS.basis, BASIS);
    server.fault(PATHS.basis, { kind: 'status', status: 500 });
    const serverError = await rejection(makeManager().download());
    expectCode(serverError, 'DOWNLOAD_HTTP_ERROR');
    expect(serverError.data).toMatchObject({ status: 500 });
    expect(existsSync(join(dir, 'basis.bin'))).toBe(false);
  });

  it('retries a 503 but not a 404', async () => {
    server.fault(PATHS.basis, { kind: 'status', status: 503 });
    await makeManager({ attempts: 2 }).download();
    expect(server.requestsFor(PATHS.basis).map((r) => r.status)).toEqual([503, 200]);

    await rm(dir, { recursive: true });
    server.files.delete(PATHS.lexicon);
    await rejection(makeManager({ attempts: 3 }).download());
    expect(server.requestsFor(PATHS.lexicon).map((r) => r.status)).toEqual([200, 404]);
  });

  it('reports a network failure as DOWNLOAD_FAILED', async () => {
    const manifest = manifestFor(server);
    await server.close();
    const error = await rejection(new ModelManager({ dir, manifest, attempts: 1 }).download());
    expectCode(error, 'DOWNLOAD_FAILED');
    expect(error.message).toContain('model.tflite');
  });

  it('cancels through an AbortSignal: no final file, the partial kept, then resumes', async () => {
    server.fault(PATHS.big, { kind: 'stall', after: 50_000 });
    const controller = new AbortController();
    const error = await rejection(
      makeManager().download({
        signal: controller.signal,
        onProgress: (p) => {
          if (p.file === 'model.tflite' && p.fileBytes >= 50_000) controller.abort();
        },
      }),
    );
    expectCode(error, 'DOWNLOAD_CANCELLED');
    expect(existsSync(join(dir, 'model.tflite'))).toBe(false);
    expect((await stat(join(dir, 'model.tflite.partial'))).size).toBe(50_000);
    expect(existsSync(join(dir, '.download.lock'))).toBe(false);

    await makeManager().download();
    expect(server.requestsFor(PATHS.big).at(-1)?.range).toBe('bytes=50000-');
    await expectInstalled();
  });

  it('gives up on a connection that stalls', async () => {
    server.fault(PATHS.big, { kind: 'stall', after: 10_000 });
    const error = await rejection(makeManager({ idleTimeoutMs: 300 }).download());
    expectCode(error, 'DOWNLOAD_FAILED');
    expect(error.message).toContain('no data');
  });

  it('refuses to start when the disk has too little space', async () => {
    const error = await rejection(makeManager({ freeSpace: () => Promise.resolve(1000) }).download());
    expectCode(error, 'DISK_FULL');
    expect(server.requests).toEqual([]);
  });

  it.skipIf(!existsSync('/dev/full'))('reports ENOSPC while writing as DISK_FULL', async () => {
    await mkdir(dir, { recursive: true });
    // Writes to /dev/full fail with ENOSPC, like a disk that fills up mid-download.
    await symlink('/dev/full', join(dir, 'model.tflite.partial'));
    const error = await rejection(makeManager().download());
    expectCode(error, 'DISK_FULL');
    expect(existsSync(join(dir, 'model.tflite'))).toBe(false);
  });

  it('lets one writer at a time use a model folder', async () => {
    server.fault(PATHS.big, { kind: 'stall', after: 1_000 });
    const controller = new AbortController();
    let started!: () => void;
    const downloading = new Promise<void>((resolve) => (started = resolve));
    const first = makeManager()
      .download({ signal: controller.signal, onProgress: (p) => p.fileBytes > 0 && started() })
      .catch((thrown: unknown) => thrown);
    await downloading;
    expectCode(await rejection(makeManager().download()), 'DOWNLOAD_IN_PROGRESS');
    controller.abort();
    expectCode((await first) as AppError, 'DOWNLOAD_CANCELLED');
  });
});

describe('import', () => {
  async function sourceFolder(files: Record<string, Buffer>): Promise<string> {
    const source = join(work, 'source');
    for (const [name, body] of Object.entries(files)) {
      await mkdir(join(source, name, '..'), { recursive: true });
      await writeFile(join(source, name), body);
    }
    return source;
  }

  it('installs the files of a folder (by name or by their path in the source repo), verified', async () => {
    const source = await sourceFolder({ 'model.tflite': BIG, 'basis.bin': BASIS, 'data/lexicon.json': LEXICON });
    const report = await makeManager().import(source);
    expect(report).toMatchObject({ ok: true, complete: true });
    // Same file system here, so hard links.
    expect(report.files.map((f) => f.outcome)).toEqual(['linked', 'linked', 'linked']);
    expect(report.files[2]?.source).toBe(join(source, 'data', 'lexicon.json'));
    await expectInstalled();
    expect((await makeManager().list()).every((s) => s.state === 'verified')).toBe(true);
    expect(server.requests).toEqual([]);
    expect(await leftovers()).toEqual([]);
  });

  it('rejects a wrong file and installs the others', async () => {
    const source = await sourceFolder({ 'model.tflite': BIG, 'basis.bin': randomBytes(880) });
    const report = await makeManager().import(source);
    expect(report.ok).toBe(false);
    expect(report.complete).toBe(false);
    const [model, basis, lexicon] = report.files;
    expect(model?.outcome).toBe('linked');
    expect(basis?.outcome).toBe('rejected');
    expect(basis?.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(basis?.error?.message).toContain('SHA-256');
    expect(lexicon?.outcome).toBe('missing');
    expect(existsSync(join(dir, 'basis.bin'))).toBe(false);
    expect(existsSync(join(source, 'basis.bin'))).toBe(true);
    expect(await leftovers()).toEqual([]);
  });

  it('fails clearly for a folder that does not exist', async () => {
    expectCode(await rejection(makeManager().import(join(work, 'nope'))), 'FILE_NOT_FOUND');
  });

  it('keeps verified files that the folder does not have', async () => {
    await makeManager().download();
    const source = await sourceFolder({ 'basis.bin': BASIS });
    const report = await makeManager().import(source);
    expect(report.files.map((f) => f.outcome)).toEqual(['unchanged', 'linked', 'unchanged']);
    expect(report.complete).toBe(true);
  });
});

describe('list and verify', () => {
  it('lists missing, partial, verified, present and invalid files', async () => {
    const fresh = await makeManager().list();
    expect(fresh.map((s) => s.state)).toEqual(['missing', 'missing', 'missing']);
    expect(fresh[0]).toMatchObject({ present: false, verified: false, size: null, expectedSize: BIG.length, checksumKnown: true });
    expect(fresh[2]).toMatchObject({ expectedSize: null, checksumKnown: false });
    expectCode(await rejection(makeManager().resolveFiles()), 'MODEL_MISSING');

    server.fault(PATHS.big, { kind: 'cut', after: 70_000 });
    await rejection(makeManager().download());
    const partial = await makeManager().list();
    expect(partial[0]?.state).toBe('partial');
    expect(partial[0]?.partialSize).toBeGreaterThan(0);

    await makeManager().download();
    const done = await makeManager().list();
    expect(done.map((s) => s.state)).toEqual(['verified', 'verified', 'verified']);
    expect(done[0]).toMatchObject({ present: true, verified: true, size: BIG.length, sha256: sha256(BIG), partialSize: null });
    expect(Object.keys(await makeManager().resolveFiles())).toEqual(['model.tflite', 'basis.bin', 'lexicon.json']);

    // Same size, other bytes, later mtime: present but no longer known to be verified.
    const tampered = Buffer.from(BIG);
    tampered[1000] = (tampered[1000] ?? 0) ^ 1;
    await writeFile(join(dir, 'model.tflite'), tampered);
    const later = new Date(Date.now() + 5_000);
    await utimes(join(dir, 'model.tflite'), later, later);
    await writeFile(join(dir, 'basis.bin'), randomBytes(10));
    const changed = await makeManager().list();
    expect(changed.map((s) => s.state)).toEqual(['present', 'invalid', 'verified']);
    expect(changed[1]?.problem).toContain('expected 880');
  });

  it('verify re-hashes every file and reports each state', async () => {
    const empty = await makeManager().verify();
    expect(empty.ok).toBe(false);
    expect(empty.files.map((f) => f.state)).toEqual(['missing', 'missing', 'missing']);

    await makeManager().download();
    const good = await makeManager().verify();
    expect(good.ok).toBe(true);
    expect(good.files.map((f) => f.state)).toEqual(['ok', 'ok', 'ok']);
    // With no checksum in the manifest, verify still prints the file's so it can be pinned.
    expect(good.files[2]).toMatchObject({ checksumKnown: false, sha256: sha256(LEXICON) });

    const tampered = Buffer.from(BIG);
    tampered[10] = (tampered[10] ?? 0) ^ 1;
    await writeFile(join(dir, 'model.tflite'), tampered);
    await rm(join(dir, 'lexicon.json'));
    const bad = await makeManager().verify();
    expect(bad.ok).toBe(false);
    expect(bad.files.map((f) => f.state)).toEqual(['invalid', 'ok', 'missing']);
    expect(bad.files[0]?.problem).toContain('SHA-256');
    expect((await makeManager().list())[0]?.state).toBe('present');

    // A download replaces the bad file and fetches the missing one.
    const summary = await makeManager().download();
    expect(summary.downloaded).toEqual(['model.tflite', 'lexicon.json']);
    await expectInstalled();
  });

  it('accepts a file put in the folder by hand once it checks out', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'basis.bin'), BASIS);
    expect((await makeManager().list())[1]?.state).toBe('present');
    const summary = await makeManager().download();
    expect(summary.skipped).toEqual(['basis.bin']);
    expect(server.requestsFor(PATHS.basis)).toEqual([]);
  });
});
