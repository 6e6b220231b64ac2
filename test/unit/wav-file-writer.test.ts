import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WavFileWriter } from '../../src-main/services/audio/wav-file-writer';

/** The id of a process that has ended (a child that ran and exited), so no live process has it. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  if (!child.pid) throw new Error('no child pid');
  return child.pid;
}

describe('WavFileWriter temporary files', () => {
  it("removes a dead process's partial file of the same output at the next start, and keeps a live one's and other outputs'", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kokoro-wav-'));
    const out = join(dir, 'book.wav');
    const dead = join(dir, `.book.wav.${deadPid()}.partial`);
    // The parent (the test runner) is alive: its partial file is another run in progress.
    const live = join(dir, `.book.wav.${process.ppid}.partial`);
    const otherOutput = join(dir, `.other.wav.${deadPid()}.partial`);
    for (const path of [dead, live, otherOutput]) writeFileSync(path, Buffer.alloc(4096));

    const writer = await WavFileWriter.create(out, 24000);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(otherOutput)).toBe(true);
    await writer.append(new Float32Array(240));
    await writer.finish();
    expect(readdirSync(dir).sort()).toEqual(['book.wav', basename(live), basename(otherOutput)].sort());
  });
});
