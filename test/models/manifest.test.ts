import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import { bundledManifest, isPinnedRevision, parseManifest } from '../../src-main/services/models';
import { ROOT } from '../helpers/paths';

const REQUIRED = ['kokoro_predictor.tflite', 'kokoro_prosody.tflite', 'kokoro_vocoder.tflite', 'istft_Wr_f32.bin', 'istft_Wi_f32.bin', 'l_linear.bin', 'config.json', 'us_gold.json', 'us_silver.json'];

describe('models/manifest.json', () => {
  it('parses, and the bundled copy is the file in models/', async () => {
    const raw: unknown = JSON.parse(await readFile(`${ROOT}models/manifest.json`, 'utf8'));
    expect(parseManifest(raw)).toEqual(bundledManifest());
  });

  it('names every file the Kokoro engine needs, once', () => {
    expect(bundledManifest().files.map((f) => f.name).sort()).toEqual([...REQUIRED].sort());
  });

  it('has a name, an https URL pinned to its revision, and well-formed or null sizes and hashes', () => {
    for (const file of bundledManifest().files) {
      expect(file.name).toMatch(/^[\w.-]+$/);
      const url = new URL(file.url);
      expect(url.protocol).toBe('https:');
      if (url.hostname === 'huggingface.co') expect(url.pathname).toContain(`/resolve/${file.revision}/`);
      else expect(url.hostname).toBe('raw.githubusercontent.com');
      expect(url.pathname.endsWith(`/${file.revision}/${file.path ?? file.name}`)).toBe(true);
      expect(file.size === null || (Number.isSafeInteger(file.size) && file.size > 0)).toBe(true);
      expect(file.approxSize === null || (Number.isSafeInteger(file.approxSize) && file.approxSize > 0)).toBe(true);
      expect(file.sha256 === null || /^[0-9a-f]{64}$/.test(file.sha256)).toBe(true);
      // A branch instead of a commit must be called out, so it gets pinned before release.
      if (!isPinnedRevision(file.revision)) expect(file.note ?? '').toMatch(/pin/i);
    }
  });

  it('states the sizes KOKORO.md gives exactly', () => {
    const size = (name: string): number | null => bundledManifest().files.find((f) => f.name === name)?.size ?? null;
    expect(size('istft_Wr_f32.bin')).toBe(880);
    expect(size('istft_Wi_f32.bin')).toBe(880);
    expect(size('l_linear.bin')).toBe(40);
  });

  it('takes the three bundles and the bases from the LiteRT repository, the lexicons from misaki', () => {
    const repo = (name: string): string | null | undefined => bundledManifest().files.find((f) => f.name === name)?.repo;
    for (const name of ['kokoro_predictor.tflite', 'kokoro_prosody.tflite', 'kokoro_vocoder.tflite', 'istft_Wr_f32.bin', 'istft_Wi_f32.bin']) {
      expect(repo(name)).toBe('huggingface:mlboydaisuke/Kokoro-82M-LiteRT');
    }
    expect(repo('config.json')).toBe('huggingface:hexgrad/Kokoro-82M');
    expect(repo('us_gold.json')).toBe('github:hexgrad/misaki');
  });
});

describe('parseManifest', () => {
  const good = {
    schemaVersion: 1,
    id: 'x',
    files: [{ name: 'a.bin', role: 'r', revision: '0123456789abcdef0123456789abcdef01234567', url: 'https://example.org/x/0123456789abcdef0123456789abcdef01234567/a.bin', size: 4, sha256: null }],
  };
  const withFile = (patch: Record<string, unknown>): unknown => ({ ...good, files: [{ ...good.files[0], ...patch }] });

  function problem(value: unknown): string {
    try {
      parseManifest(value);
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe('MANIFEST_INVALID');
      return (thrown as AppError).message;
    }
    throw new Error('expected MANIFEST_INVALID');
  }

  it('accepts a minimal manifest and fills the optional fields', () => {
    expect(parseManifest(good).files[0]).toMatchObject({ format: 'binary', path: null, approxSize: null, note: null });
  });

  it('names what is wrong', () => {
    expect(problem(withFile({ sha256: 'ABC' }))).toContain('sha256');
    expect(problem(withFile({ size: -1 }))).toContain('size');
    expect(problem(withFile({ size: 1.5 }))).toContain('size');
    expect(problem(withFile({ url: 'http://example.org/x/0123456789abcdef0123456789abcdef01234567/a.bin' }))).toContain('https');
    expect(problem(withFile({ url: 'https://example.org/x/main/a.bin' }))).toContain('revision');
    expect(problem(withFile({ name: '../evil' }))).toContain('plain file name');
    expect(problem(withFile({ format: 'exe' }))).toContain('format');
    expect(problem(withFile({ revision: 'main', url: 'https://example.org/x/main/a.bin' }))).toContain('note');
    expect(problem({ ...good, files: [good.files[0], { ...good.files[0], name: 'A.BIN' }] })).toContain('twice');
    expect(problem({ ...good, files: [] })).toContain('files');
    expect(problem({ ...good, schemaVersion: 2 })).toContain('schemaVersion');
  });

  it('allows plain http only on loopback (the tests)', () => {
    expect(() => parseManifest(withFile({ url: 'http://127.0.0.1:8080/x/0123456789abcdef0123456789abcdef01234567/a.bin' }))).not.toThrow();
  });
});
