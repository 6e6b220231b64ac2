/** What the Kokoro benches and checks that run on a model folder share. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GRAPH_FILES } from '../../src-main/engine/kokoro/binding';
import { readHostFiles } from '../../src-main/engine/kokoro/inspect';
import type { HostSettings } from '../../src-main/engine/kokoro/pipeline';
import { KokoroVoicePacks } from '../../src-main/engine/kokoro/voices';
import { SHADOW_SAMPLE_IDS } from './kokoro-shadow';

/** The folder, resolved; one without Kokoro graphs is an error that says how to make one. */
export function modelFolder(dir: string): string {
  const folder = resolve(dir);
  if (!existsSync(join(folder, GRAPH_FILES.vocoder))) throw new Error(`no Kokoro graphs in ${folder}: run \`npm run shadow:make\` first, or pass --model-dir DIR`);
  return folder;
}

/** The sample chunk (SHADOW_SAMPLE_IDS) with af_heart's style, and the folder's host settings with the source's noise on. */
export async function sampleChunk(folder: string): Promise<{ ids: readonly number[]; refS: Float32Array; host: HostSettings }> {
  const ids = SHADOW_SAMPLE_IDS;
  const refS = await new KokoroVoicePacks().style('af_heart', ids.length - 2);
  const { lLinear } = await readHostFiles(folder);
  return { ids, refS, host: { lLinear, stftPadding: 'reflect', inverse: { kind: 'torch' }, noise: true } };
}
