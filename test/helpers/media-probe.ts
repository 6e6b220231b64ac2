/**
 * Debian's ffprobe/ffmpeg read what the export writes, as players would. CI installs them
 * (`.ci/run`); a machine without them fails these tests with the fix, never skips them.
 */
import { spawnSync } from 'node:child_process';

function run(tool: 'ffprobe' | 'ffmpeg', args: string[], maxBuffer = 1 << 30): Buffer {
  const result = spawnSync(tool, args, { maxBuffer });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${tool} is missing: install Debian's ffmpeg (apt-get install ffmpeg; .ci/run does it).`);
  }
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return result.stdout;
}

export interface ProbedMedia {
  format: { format_name: string; duration: string; tags?: Record<string, string> };
  streams: { codec_name: string; sample_rate?: string; channels?: number; codec_type: string }[];
  chapters: { start_time: string; end_time: string; tags?: { title?: string } }[];
}

export function probe(path: string): ProbedMedia {
  return JSON.parse(run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', path]).toString()) as ProbedMedia;
}

/** The samples a player decodes, as 16-bit mono at 24 kHz (the export's rate). */
export function decodedSamples(path: string): number {
  return run('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a:0', '-f', 's16le', '-ac', '1', '-ar', '24000', '-']).length / 2;
}
