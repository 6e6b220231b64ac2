/** The engine as the CLI's commands start it: a child process over the data folder's cache and lexicon. */
import { fileURLToPath } from 'node:url';
import { describeError } from '../../src-shared/errors/catalogue';
import { isKokoroPrecision, KOKORO_PRECISIONS } from '../../src-shared/ipc/engine-config';
import type { EngineConfig, KokoroPrecision } from '../../src-shared/ipc/engine-config';
import { UsageError } from './usage';
import type { LexiconEntry } from '../../src-shared/lexicon/types';
import { EngineSupervisor } from '../services/engine/engine-supervisor';
import { childProcessTransport } from '../services/engine/child-process-transport';
import { VoiceDirectory, kokoroUnavailable } from '../services/speech-request';
import { cacheDirIn } from '../services/paths';
import { openLibrary } from './open-library';

// The CLI is bundled into one file (dist/cli/cli.js): the engine's bundle is beside it.
export const engineEntry = fileURLToPath(new URL('../engine/engine.mjs', import.meta.url));

export function startEngine(modelDir: string, dataDir?: string, precision?: KokoroPrecision): EngineSupervisor {
  const config: EngineConfig = { modelDir, ...(dataDir ? { dataDir, cacheDir: cacheDirIn(dataDir) } : {}), ...(precision ? { kokoro: { precision } } : {}) };
  return new EngineSupervisor(childProcessTransport(engineEntry), { config });
}

/** The user's pronunciations from the data folder's library, for the engine's G2P. */
export async function sendUserLexicon(engine: EngineSupervisor, dataDir: string): Promise<void> {
  let entries: LexiconEntry[];
  try {
    const library = openLibrary(dataDir);
    entries = library.lexicon.list();
    library.close();
  } catch {
    return; // No usable library: read without the user's lexicon.
  }
  if (entries.length > 0) await engine.request('lexicon', { entries }).result;
}

/** Tells a user with only the built-in voice how to get the natural ones, or what their model folder lacks. */
export async function hintIfNoKokoro(engine: EngineSupervisor): Promise<void> {
  const problem = kokoroUnavailable(await new VoiceDirectory(engine).installed());
  if (problem) process.stderr.write(`note: ${describeError(problem, 'cli')}\n`);
}

/** --precision as given, checked. */
export function precisionOption(value: string | undefined): KokoroPrecision | undefined {
  if (value === undefined) return undefined;
  if (!isKokoroPrecision(value)) throw new UsageError(`--precision must be ${KOKORO_PRECISIONS.join(' or ')}; got "${value}"`);
  return value;
}
