import { existsSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pidScope } from '../../src-main/platform/process-alive';
import { WavFileWriter } from '../../src-main/services/audio/wav-file-writer';
import { deadPid, livePid } from '../helpers/processes';

/** Writes a partial file of 4 KB, last written `ageMs` ago. */
function partial(dir: string, name: string, ageMs = 0): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(4096));
  const when = (Date.now() - ageMs) / 1000;
  utimesSync(path, when, when);
  return path;
}

const DAY = 24 * 60 * 60 * 1000;

describe('WavFileWriter temporary files', () => {
  it('writes into a hidden partial file named with its host scope and pid, renamed into place when finished', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kokoro-wav-'));
    const writer = await WavFileWriter.create(join(dir, 'book.wav'), 24000);
    expect(readdirSync(dir)).toEqual([`.book.wav.${pidScope()}.${process.pid}.partial`]);
    await writer.finish();
    expect(readdirSync(dir)).toEqual(['book.wav']);
  });

  it("removes a dead process's partial file of this host at the next start of the same output, and keeps a live one's and other outputs'", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kokoro-wav-'));
    const dead = partial(dir, `.book.wav.${pidScope()}.${deadPid()}.partial`);
    // Another run in progress: its process is alive.
    const live = partial(dir, `.book.wav.${pidScope()}.${livePid()}.partial`);
    const otherOutput = partial(dir, `.other.wav.${pidScope()}.${deadPid()}.partial`);

    const writer = await WavFileWriter.create(join(dir, 'book.wav'), 24000);
    expect(existsSync(dead)).toBe(false);
    await writer.append(new Float32Array(240));
    await writer.finish();
    expect(readdirSync(dir).sort()).toEqual(['book.wav', basename(live), basename(otherOutput)].sort());
  });

  it("leaves another host's (or PID namespace's) partial files alone, whatever their pid means here, until they are a day old", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kokoro-wav-'));
    // On a shared folder: pids of another machine, one dead here (its writer may be running there)…
    const deadHere = partial(dir, `.book.wav.other-host.${deadPid()}.partial`);
    // …one alive here for an unrelated process (its writer may have died there).
    const aliveHere = partial(dir, `.book.wav.other-host.${livePid()}.partial`);
    const abandoned = partial(dir, `.book.wav.gone-host.${livePid()}.partial`, DAY + 60_000);
    // Named by an earlier version, with no host: kept while fresh, removed once a day old.
    const olderVersion = partial(dir, `.book.wav.${deadPid()}.partial`);
    const olderVersionAbandoned = partial(dir, `.book.wav.${livePid()}.partial`, DAY + 60_000);

    const writer = await WavFileWriter.create(join(dir, 'book.wav'), 24000);
    await writer.finish();
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(olderVersionAbandoned)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['book.wav', basename(deadHere), basename(aliveHere), basename(olderVersion)].sort());
  });
});
