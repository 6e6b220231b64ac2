import { randomUUID } from 'node:crypto';
import { basename, isAbsolute } from 'node:path';
import { BoundedCache } from '../../src-shared/cache/bounded-cache';
import { AppError } from '../../src-shared/errors/catalogue';
import type { FileGrant } from '../../src-shared/ipc/contract';
import type { ClientContext } from './handlers';
import { OPENABLE_EXTENSIONS, extensionOf } from './import/detect';
import { checkRegularFile, withFileNameOnly } from './import/file-errors';

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
    checkAbsolute(path);
    let granted = this.clients.get(client.id);
    if (!granted) this.clients.set(client.id, (granted = new BoundedCache(GRANTS_PER_CLIENT)));
    const handle = randomUUID();
    granted.set(handle, path);
    return { handle, name: basename(path) };
  }

  /**
   * Issues a handle for a file dropped on the window, once it is one the app opens. The shell
   * vouches only that the user dropped it: it may be a folder, a device, a pipe (reading one
   * would wait forever) or a socket, or a file of a kind no importer reads.
   */
  async grantDropped(client: ClientContext, path: string): Promise<FileGrant> {
    try {
      return await this.checkDropped(client, path);
    } catch (error) {
      // The page that dropped the file is told its name, never its folder.
      throw withFileNameOnly(error, path);
    }
  }

  private async checkDropped(client: ClientContext, path: string): Promise<FileGrant> {
    checkAbsolute(path);
    await checkRegularFile(path);
    const extension = extensionOf(path);
    if (!OPENABLE_EXTENSIONS.includes(extension)) {
      const named = extension ? `a .${extension} file` : 'a file without an extension';
      throw AppError.of('UNSUPPORTED_FORMAT', `(${basename(path)} is ${named}.)`);
    }
    return this.grant(client, path);
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

/** Grants name files by absolute paths only: a relative one would depend on main's working folder. */
function checkAbsolute(path: string): void {
  if (!isAbsolute(path)) throw AppError.of('FILE_NOT_CHOSEN', '(not an absolute path)');
}
