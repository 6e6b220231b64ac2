import { describeError } from '../../src-shared/errors/catalogue';
import { Library } from '../services/library/index';

/**
 * The data folder's library, with every problem it recovered from (a damaged file set aside,
 * what was read back from it) told on stderr as `note: …`, as the app shows them as notices:
 * the command still works, but the user must know their library was repaired.
 */
export function openLibrary(dataDir: string): Library {
  return Library.open({ dataDir, onProblem: (problem) => void process.stderr.write(`note: ${describeError(problem, 'cli')}\n`) });
}
