import { describe, expect, it } from 'vitest';
import type { ExportJobInfo } from '../../src-shared/ipc/contract';
import { fail } from '../../src-shared/ipc/result';
import { ExportsStore, startParams, timeLeftText } from './exports.svelte';
import type { ExportChoices } from './exports.svelte';
import { FakeApi } from './testing/fake-api';

const job = (id: number, state: ExportJobInfo['state'], extra: Partial<ExportJobInfo> = {}): ExportJobInfo => ({ id, title: `Book ${id}`, format: 'm4b', state, fileNames: [`Book ${id}.m4b`], ...extra });

const choices = (extra: Partial<ExportChoices> = {}): ExportChoices => ({
  documentId: 4,
  format: 'm4b',
  chapters: [2, 0, 2],
  mp3Layout: 'per-chapter',
  subtitles: 'vtt',
  wordTimings: true,
  voice: 'espeak:gmw/en',
  speed: 1.25,
  ...extra,
});

describe('ExportsStore', () => {
  it('shows exports under way and those that end while the window watches, not the history', async () => {
    const api = new FakeApi().answer('export:list', () => [job(1, 'done'), job(2, 'failed'), job(3, 'running')]);
    const exports = new ExportsStore(api);
    await exports.load();
    expect(exports.jobs.map((j) => j.id)).toEqual([1, 2, 3]);
    expect(exports.shown.map((j) => j.id)).toEqual([3]);

    api.push('export:progress', job(3, 'running', { progress: { chaptersDone: 1, chaptersTotal: 4, chapterTitle: 'Two', fraction: 0.3, secondsLeft: 200 } }));
    expect(exports.active?.progress?.chaptersDone).toBe(1);
    expect(exports.activeTimeLeft).toBe('about 3 min left');

    // Another window's export is heard too; it waits behind the running one.
    api.push('export:progress', job(4, 'queued'));
    expect(exports.active?.id).toBe(3);
    api.push('export:progress', job(3, 'done'));
    expect(exports.active?.id).toBe(4);
    expect(exports.shown.map((j) => [j.id, j.state])).toEqual([
      [3, 'done'],
      [4, 'queued'],
    ]);

    exports.dismiss(3);
    // A cancelled export needs no notice: the user did it.
    api.push('export:progress', job(4, 'cancelled'));
    expect(exports.shown).toEqual([]);
    expect(exports.active).toBeUndefined();
  });

  it('asks main for the target, then queues the export there with the choices that fit the format', async () => {
    const api = new FakeApi()
      .answer('export:target', () => ({ handle: 'h1', name: 'Book.mp3' }))
      .answer('export:start', (params) => job(9, 'queued', { format: params.format }));
    const exports = new ExportsStore(api);
    const started = await exports.start(choices({ format: 'mp3' }));
    expect(started).toMatchObject({ outcome: 'started', job: { id: 9 } });
    expect(api.paramsOf('export:target')).toEqual([{ documentId: 4, format: 'mp3' }]);
    expect(api.paramsOf('export:start')).toEqual([
      { documentId: 4, target: 'h1', format: 'mp3', chapters: [0, 2], mp3Layout: 'per-chapter', subtitles: 'vtt', wordTimings: true, voice: 'espeak:gmw/en', speed: 1.25 },
    ]);
    expect(exports.shown.map((j) => j.id)).toEqual([9]);
  });

  it('leaves out what a format does not take: subtitles and word timings for EPUB, the layout but for MP3', () => {
    expect(startParams(choices({ format: 'epub' }), 't')).toEqual({ documentId: 4, target: 't', format: 'epub', chapters: [0, 2], voice: 'espeak:gmw/en', speed: 1.25 });
    expect(startParams(choices({ subtitles: 'none', wordTimings: false }), 't')).toEqual({ documentId: 4, target: 't', format: 'm4b', chapters: [0, 2], voice: 'espeak:gmw/en', speed: 1.25 });
  });

  it('does nothing when the save dialog is cancelled, and gives back why main refused', async () => {
    const api = new FakeApi().answer('export:target', () => null);
    const exports = new ExportsStore(api);
    expect(await exports.start(choices())).toEqual({ outcome: 'cancelled' });
    expect(api.paramsOf('export:start')).toEqual([]);

    api.answer('export:target', () => fail('NO_SAVE_DIALOG'));
    expect(await exports.start(choices())).toMatchObject({ outcome: 'failed', error: { code: 'NO_SAVE_DIALOG' } });
    api.answer('export:target', () => ({ handle: 'h', name: 'x.m4b' })).answer('export:start', () => fail('EXPORT_OPTION_UNFIT', '(detail)'));
    expect(await exports.start(choices())).toMatchObject({ outcome: 'failed', error: { code: 'EXPORT_OPTION_UNFIT' } });
    expect(exports.jobs).toEqual([]);
  });

  it('cancels and shows in folder by the job’s id, giving back a refusal', async () => {
    const api = new FakeApi().answer('export:cancel', () => ({ cancelled: true })).answer('export:reveal', () => fail('EXPORT_NOT_FOUND', '(7)'));
    const exports = new ExportsStore(api);
    expect(await exports.cancel(7)).toBeUndefined();
    expect((await exports.reveal(7))?.code).toBe('EXPORT_NOT_FOUND');
    expect(api.paramsOf('export:cancel')).toEqual([{ jobId: 7 }]);
  });

  it('keeps an event that overtook the list', async () => {
    let answer: (jobs: ExportJobInfo[]) => void = () => undefined;
    const api = new FakeApi().answer('export:list', () => new Promise((resolve) => (answer = resolve)));
    const exports = new ExportsStore(api);
    const loading = exports.load();
    api.push('export:progress', job(5, 'done'));
    answer([job(5, 'running')]);
    await loading;
    expect(exports.jobs).toEqual([job(5, 'done')]);
    expect(exports.shown.map((j) => j.state)).toEqual(['done']);
  });
});

describe('timeLeftText', () => {
  it('says nothing before a rate is measured, then minutes, then hours', () => {
    expect(timeLeftText(undefined)).toBe('');
    expect(timeLeftText(Number.NaN)).toBe('');
    expect(timeLeftText(20)).toBe('less than a minute left');
    expect(timeLeftText(90)).toBe('about 2 min left');
    expect(timeLeftText(3 * 3600 + 5 * 60)).toBe('about 3 h 5 min left');
  });
});
