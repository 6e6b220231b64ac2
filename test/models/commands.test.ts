import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatBytes, formatProgressLine, modelsDownload, modelsImport, modelsList, modelsVerify, parseManifest } from '../../src-main/services/models';
import type { ModelManifest, ModelsCommandOptions } from '../../src-main/services/models';
import { defaultDataDir, defaultModelDir } from '../../src-main/services/paths';
import { FixtureServer } from './fixture-server';

const REV = 'fedcba9876543210fedcba9876543210fedcba98';
const BODY = randomBytes(40);
const PATH = `/o/r/resolve/${REV}/l_linear.bin`;

let server: FixtureServer;
let work: string;
let lines: string[];

function options(manifest: ModelManifest): ModelsCommandOptions {
  return { modelDir: join(work, 'models'), manifest, write: (line) => lines.push(line), attempts: 1 };
}

function manifest(): ModelManifest {
  const sha256 = createHash('sha256').update(BODY).digest('hex');
  return parseManifest({ schemaVersion: 1, id: 't', files: [{ name: 'l_linear.bin', role: 'l', format: 'float32', revision: REV, url: server.url(PATH), size: 40, sha256 }] });
}

beforeEach(async () => {
  server = new FixtureServer();
  await server.start();
  server.serve(PATH, BODY);
  work = await mkdtemp(join(tmpdir(), 'kr-models-cli-'));
  lines = [];
});

afterEach(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('models commands', () => {
  it('list, download, list again, verify', async () => {
    expect(await modelsList(options(manifest()))).toBe(0);
    expect(lines.join('\n')).toMatch(/l_linear\.bin\s+40 B\s+missing/);
    expect(lines.at(-1)).toContain('0 of 1 files installed');

    lines = [];
    expect(await modelsDownload(options(manifest()))).toBe(0);
    expect(lines.some((l) => l.startsWith('[1/1] l_linear.bin') && l.includes('40 B / 40 B (100%)'))).toBe(true);
    expect(lines.at(-1)).toContain('Downloaded 1 file(s), 40 B');

    lines = [];
    await modelsList(options(manifest()));
    expect(lines.join('\n')).toMatch(/l_linear\.bin\s+40 B\s+verified/);

    lines = [];
    expect(await modelsVerify(options(manifest()))).toBe(0);
    expect(lines.join('\n')).toContain('ok (sha256 matches)');
  });

  it('prints the error with its fix and returns 1', async () => {
    server.files.delete(PATH);
    expect(await modelsDownload(options(manifest()))).toBe(1);
    expect(lines.at(-1)).toMatch(/^Error: The download server refused a model file\. \(l_linear\.bin: HTTP 404 .*\) Try again later/);
    lines = [];
    expect(await modelsVerify(options(manifest()))).toBe(1);
    expect(lines.join('\n')).toMatch(/l_linear\.bin\s+missing/);
  });

  it('imports a folder, and returns 1 when a file is rejected', async () => {
    const source = join(work, 'have');
    await mkdir(source);
    await writeFile(join(source, 'l_linear.bin'), randomBytes(40));
    expect(await modelsImport(source, options(manifest()))).toBe(1);
    expect(lines.join('\n')).toContain('REJECTED');
    await writeFile(join(source, 'l_linear.bin'), BODY);
    lines = [];
    expect(await modelsImport(source, options(manifest()))).toBe(0);
    expect(lines.at(-1)).toBe('All model files are installed and verified.');
  });

  it('returns 1 with one error line when the folder holds none of the files', async () => {
    const source = join(work, 'empty');
    await mkdir(source);
    const errors: string[] = [];
    expect(await modelsImport(source, { ...options(manifest()), writeError: (line) => errors.push(line) })).toBe(1);
    expect(errors).toEqual([expect.stringMatching(/^Error: No Kokoro model files were found in that folder\. \(.*empty\)/)]);
  });

  it('lists as JSON', async () => {
    await modelsList({ ...options(manifest()), json: true });
    const parsed = JSON.parse(lines.join('\n')) as { files: { name: string; state: string }[] };
    expect(parsed.files).toEqual([expect.objectContaining({ name: 'l_linear.bin', state: 'missing' })]);
  });
});

describe('formatting', () => {
  it('formats sizes in decimal units', () => {
    expect(formatBytes(880)).toBe('880 B');
    expect(formatBytes(91_000_000)).toBe('91.0 MB');
    expect(formatBytes(236_400_000)).toBe('236 MB');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
  });

  it('formats a progress line, marking an estimated total', () => {
    const line = formatProgressLine({ file: 'kokoro_vocoder.tflite', fileIndex: 2, fileCount: 9, phase: 'downloading', fileBytes: 23_600_000, fileTotal: 236_000_000, overallBytes: 151_600_000, overallTotal: 370_000_000, overallTotalExact: false });
    expect(line).toBe('[3/9] kokoro_vocoder.tflite  23.6 MB / 236 MB (10%)  overall 152 MB / ~370 MB');
  });
});

describe('defaultDataDir', () => {
  it('follows each platform convention', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.local/share/kokoro-reader');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/data' }, home: '/home/u' })).toBe('/data/kokoro-reader');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: 'relative' }, home: '/home/u' })).toBe('/home/u/.local/share/kokoro-reader');
    expect(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/u' })).toBe('/Users/u/Library/Application Support/Kokoro Reader');
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home: 'C:\\Users\\u' })).toBe('C:\\Users\\u\\AppData\\Roaming\\Kokoro Reader');
    expect(defaultModelDir({ platform: 'win32', env: {}, home: 'C:\\Users\\u' })).toBe('C:\\Users\\u\\AppData\\Roaming\\Kokoro Reader\\models');
    expect(defaultModelDir({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.local/share/kokoro-reader/models');
  });
});
