import type { LexiconIndex } from '../../src-shared/lexicon/index';
import type { ChunkCache } from './chunk-cache';

/** The user's lexicon as the engines use it: set from the library's entries, looked up per word and per text. */
export type EngineLexicon = Pick<LexiconIndex, 'lookup' | 'applyReplacements' | 'setEntries'>;

/**
 * What the engine is given at start to reach storage. The engine imports no service: the
 * process entry (src-main/processes) builds these from the library's SQLite files.
 */
export interface EnginePorts {
  /** The audio cache of the data folder; none: every chunk is synthesised. */
  cache: ChunkCache | undefined;
  lexicon: EngineLexicon;
}

export type EngineLog = (line: string) => void;
