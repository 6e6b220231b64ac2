/**
 * The files electron-builder leaves outside the asar (`asarUnpack`: native modules, WebAssembly,
 * eSpeak's data) are not covered by Electron's asar integrity check. Packaging writes a list of
 * their SHA-256 hashes into the asar (so the list itself is covered), and the packaged app checks
 * the unpacked folder against it before it loads any of them.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { fail, ok } from '../../src-shared/ipc/result';
import type { Result } from '../../src-shared/ipc/result';

/** Where packaging puts the list, relative to the app's root (inside the asar). */
export const UNPACKED_MANIFEST_FILE = 'dist/unpacked-manifest.json';

const manifestSchema = z.object({
  algorithm: z.literal('sha256'),
  /** Path relative to the unpacked folder, with '/' on every platform → hex digest. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type UnpackedManifest = z.infer<typeof manifestSchema>;

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Unreadable (gone, a folder behind a link, no access) counts as changed. */
function hashOrUndefined(path: string): string | undefined {
  try {
    return sha256Of(path);
  } catch {
    return undefined;
  }
}

const portable = (path: string): string => path.split(sep).join('/');

/** The manifest of `files` (relative to `root`), as packaging writes it. */
export function createUnpackedManifest(root: string, files: readonly string[]): UnpackedManifest {
  const entries = [...files].map(portable).sort().map((file) => [file, sha256Of(join(root, file))] as const);
  return { algorithm: 'sha256', files: Object.fromEntries(entries) };
}

/**
 * Files a file manager or the OS drops into folders it shows (Finder's .DS_Store and AppleDouble
 * `._*` files, Explorer's Thumbs.db and desktop.ini). Nothing loads them, so they are not a change.
 */
const OS_METADATA_FILE = /(^|\/)(\.DS_Store|\._[^/]*|Thumbs\.db|desktop\.ini)$/i;

/**
 * On macOS, signing the app (after packaging, so after the list is made) writes a code signature
 * into every native module, so their hashes cannot be known in advance: there only their presence
 * is checked. Their content is sealed by the app's signature, which Gatekeeper checks; at load
 * time macOS checks it only without electron-builder's default entitlement
 * disable-library-validation (not yet removed: no signed build has been made).
 */
export const signedAfterPackaging = (platform: NodeJS.Platform) => (file: string): boolean => platform === 'darwin' && file.endsWith('.node');

/**
 * Checks every file in the unpacked folder against the manifest: each must be listed, with the
 * same hash. A listed file that is absent is not an error (packaging may leave it out, and a
 * missing file cannot run code); a changed or an added one is. `hashUnknowable` names the files
 * whose presence is checked but not their content (see signedAfterPackaging).
 */
export function verifyUnpacked(root: string, manifest: unknown, hashUnknowable: (file: string) => boolean = () => false): Result<void> {
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success) return fail('INSTALL_TAMPERED', '(its list of program files is damaged)');
  const expected = new Map(Object.entries(parsed.data.files));
  const present: string[] = [];
  const links = new Set<string>();
  try {
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (entry.isDirectory()) continue;
      const file = portable(relative(root, join(entry.parentPath, entry.name)));
      present.push(file);
      if (entry.isSymbolicLink()) links.add(file);
    }
  } catch (thrown) {
    // No unpacked folder at all: nothing outside the asar can be loaded.
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return ok(undefined);
    return fail('INSTALL_TAMPERED', `(${root} cannot be read: ${(thrown as Error).message})`);
  }
  for (const file of present.sort()) {
    if (OS_METADATA_FILE.test(file) && !links.has(file)) continue;
    if (links.has(file)) return fail('INSTALL_TAMPERED', `(${file} is a link, which packaging never makes)`);
    const hash = expected.get(file);
    if (hash === undefined) return fail('INSTALL_TAMPERED', `(${file} is not part of this version)`);
    if (hashUnknowable(file)) continue;
    if (hashOrUndefined(join(root, file)) !== hash) return fail('INSTALL_TAMPERED', `(${file} has been changed)`);
  }
  return ok(undefined);
}
