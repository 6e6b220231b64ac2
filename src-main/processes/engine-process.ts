/**
 * Entry of the engine process (built to dist/engine/engine.mjs). The composition root: it
 * gives the engine, which imports no service, the library's SQLite audio cache and a lexicon
 * whose user regexes run in the vm sandbox.
 */
import { runEngineProcess } from '../engine/run-engine';
import { sandboxedLexiconIndex } from '../services/library/lexicon';
import { openChunkCache } from './sqlite-chunk-cache';

runEngineProcess((config, log) => ({
  // What was heard once replays without the model.
  cache: config.dataDir ? openChunkCache(config.dataDir, log) : undefined,
  // Empty until the app sends the user's entries.
  lexicon: sandboxedLexiconIndex([], { onRuleDisabled: (entry) => log(`lexicon rule switched off (too slow): ${entry?.pattern ?? '?'}`) }),
}));
