import { randomUUID } from 'node:crypto';
import { basename, isAbsolute } from 'node:path';
import { BoundedCache } from '../../src-shared/cache/bounded-cache';
import { AppError } from '../../src-shared/errors/catalogue';
import type { FileGrant } from '../../src-shared/ipc/contract';
import type { ClientContext } from './handlers';

/** Handles one window may hold at once; the oldest goes first (a window opens one file at a time). */
const GRANTS_PER_CLIENT = 64;

/**
 * The files the renderer may open: paths the user chose (the app's file dialog, a file dropped
 * on the window), each behind a random handle that only the window it was issued to can use.
 * The renderer never sends a path, so neither a page nor anyone holding the dev-web token can
 * name one of its own (~/.ssh/id_rsa). Only the shell grants, after the user's own choice.
 */
export class FileGrants {
  /** Per client: handle -> path. */
  private readonly clients = new Map<string, BoundedCache<string, string>>();

  /** Issues a handle for a path the user chose, for that client only. */
  grant(client: ClientContext, path: string): FileGrant {
    if (!isAbsolute(path)) throw AppError.of('FILE_NOT_CHOSEN', '(not an absolute path)');
    let granted = this.clients.get(client.id);
    if (!granted) this.clients.set(client.id, (granted = new BoundedCache(GRANTS_PER_CLIENT)));
    const handle = randomUUID();
    granted.set(handle, path);
    return { handle, name: basename(path) };
  }

  /** The path behind a handle issued to this client; any other handle is FILE_NOT_CHOSEN. */
  pathOf(client: ClientContext, handle: string): string {
    const path = this.clients.get(client.id)?.get(handle);
    if (path === undefined) throw AppError.of('FILE_NOT_CHOSEN');
    return path;
  }

  /** A client went away: its handles go with it. */
  drop(client: ClientContext): void {
    this.clients.delete(client.id);
  }
}
