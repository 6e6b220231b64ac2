import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pidScope, processAlive } from '../../platform/process-alive';

/**
 * The temporary files of the writers that produce a file for the user (WAV from `speak`, the
 * export's audio): each writes a hidden partial file beside its target, renamed into place only
 * when complete, so a cancelled or failed run leaves no half-written file.
 */

/**
 * A partial file untouched this long is stale whoever wrote it: a running writer appends
 * continuously. This catches what the pid cannot tell (another host's file, an old name
 * without the host, a pid since taken by another process).
 */
const STALE_PARTIAL_MS = 24 * 60 * 60 * 1000;

/** `.NAME.SCOPE.PID.partial`: the pid says who writes it only within its scope (host, PID namespace). */
export function partialPath(path: string, pid: number): string {
  return join(dirname(path), `.${basename(path)}.${pidScope()}.${pid}.partial`);
}

/**
 * Removes the temporary files of earlier runs for the same output that nobody writes any more:
 * a run ended by SIGKILL (or a power cut) has no chance to remove its own. One of this host's
 * (and PID namespace's) goes when its process is gone; a file whose process still runs is
 * another run's work in progress, and is left alone. On a shared folder (NFS) or beside a
 * container, a pid of another scope says nothing here: such a file goes only once untouched for
 * a day (STALE_PARTIAL_MS), as does any partial file.
 */
export async function removeStalePartials(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return; // An unreadable folder: opening the file below says so.
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    // SCOPE.PID, or PID alone in the names of earlier versions (whose scope is unknown).
    const match = /^(?:([A-Za-z0-9-]+)\.)?([1-9]\d*)\.partial$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const [, scope, pid] = match;
    const file = join(dirname(path), name);
    const deadHere = scope === pidScope() && !processAlive(Number(pid));
    if (deadHere || (await untouchedFor(file)) >= STALE_PARTIAL_MS) await rm(file, { force: true }).catch(() => undefined);
  }
}

/** How long ago the file was last written (0 when it cannot be read, so it is kept). */
async function untouchedFor(file: string): Promise<number> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}
