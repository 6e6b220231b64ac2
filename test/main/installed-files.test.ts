import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { Electron } from '../../src-main/electron/app-main';
import { checkInstalledFiles } from '../../src-main/electron/app-main';
import { UNPACKED_MANIFEST_FILE, createUnpackedManifest, signedAfterPackaging, verifyUnpacked } from '../../src-main/platform/unpacked-integrity';
import { listUnpackedFiles } from '../../scripts/unpacked-manifest';
import { ROOT } from '../helpers/paths';
import { createFakeElectron } from './fake-electron';

interface BuilderConfig {
  asarUnpack: string[];
  smartUnpack?: boolean;
  afterExtract?: string;
  electronFuses: Record<string, boolean>;
}
const builderConfig = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kokoro-installed-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const write = (path: string, content: string | Uint8Array): void => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
};
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * A project as packaging sees it: the built app, a production package with a native module, a
 * wasm file and eSpeak's data (nested one level), other files, and a dev package's native module.
 */
function makeProject(): { project: string; packageDirs: string[] } {
  const project = join(dir, 'project');
  write(join(project, 'dist/main/main.cjs'), 'main');
  write(join(project, 'dist/engine/runtime.wasm'), new Uint8Array([0, 97, 115, 109, 1]));
  write(join(project, 'node_modules/native/build/Release/native.node'), 'native module');
  write(join(project, 'node_modules/native/index.js'), 'module.exports = 1;');
  write(join(project, 'node_modules/native/node_modules/speech/espeak-ng.data'), 'voices');
  write(join(project, 'node_modules/native/node_modules/speech/speech.wasm'), 'speech wasm');
  write(join(project, 'node_modules/dev-tool/tool.node'), 'dev only');
  return { project, packageDirs: [join(project, 'node_modules/native'), join(project, 'node_modules/native/node_modules/speech')] };
}

/** What electron-builder would unpack of that project: the listed files, beside app.asar. */
function install(project: string, files: readonly string[]): { appPath: string; unpacked: string } {
  const appPath = join(dir, 'resources', 'app.asar');
  const unpacked = `${appPath}.unpacked`;
  for (const file of files) cpSync(join(project, file), join(unpacked, file));
  return { appPath, unpacked };
}

describe('the list of unpacked files (packaging step)', () => {
  it('lists what asarUnpack unpacks from the app and its production packages, with their SHA-256', () => {
    const { project, packageDirs } = makeProject();
    const files = listUnpackedFiles(project, builderConfig.asarUnpack, packageDirs);
    expect(files.sort()).toEqual([
      'dist/engine/runtime.wasm',
      'node_modules/native/build/Release/native.node',
      'node_modules/native/node_modules/speech/espeak-ng.data',
      'node_modules/native/node_modules/speech/speech.wasm',
    ]);
    const manifest = createUnpackedManifest(project, files);
    expect(manifest.algorithm).toBe('sha256');
    expect(manifest.files['node_modules/native/build/Release/native.node']).toBe(sha256(join(project, 'node_modules/native/build/Release/native.node')));
    expect(Object.keys(manifest.files)).toHaveLength(4);
  });
});

describe('the check of the unpacked files', () => {
  it('accepts the files as packaged, and a file packaging left out', () => {
    const { project, packageDirs } = makeProject();
    const files = listUnpackedFiles(project, builderConfig.asarUnpack, packageDirs);
    const manifest = createUnpackedManifest(project, files);
    const { unpacked } = install(project, files.slice(1));
    expect(verifyUnpacked(unpacked, manifest)).toEqual({ ok: true, value: undefined });
  });

  it('refuses a changed file, an added one, a link and a damaged list, naming the file', () => {
    const { project, packageDirs } = makeProject();
    const files = listUnpackedFiles(project, builderConfig.asarUnpack, packageDirs);
    const manifest = createUnpackedManifest(project, files);
    const { unpacked } = install(project, files);
    const native = join(unpacked, 'node_modules/native/build/Release/native.node');
    const original = readFileSync(native);
    const changed = Buffer.from(original);
    changed[0] = (changed[0] ?? 0) ^ 1;
    writeFileSync(native, changed);
    expect(verifyUnpacked(unpacked, manifest)).toEqual({
      ok: false,
      error: { code: 'INSTALL_TAMPERED', message: 'A program file of Kokoro Reader is not the one that was installed, so the app will not start. (node_modules/native/build/Release/native.node has been changed)' },
    });
    writeFileSync(native, original);
    write(join(unpacked, 'dist/engine/extra.node'), 'planted');
    expect(verifyUnpacked(unpacked, manifest)).toMatchObject({ ok: false, error: { message: expect.stringContaining('(dist/engine/extra.node is not part of this version)') } });
    rmSync(join(unpacked, 'dist/engine/extra.node'));
    rmSync(join(unpacked, 'dist/engine/runtime.wasm'));
    symlinkSync(join(project, 'node_modules/dev-tool/tool.node'), join(unpacked, 'dist/engine/runtime.wasm'));
    expect(verifyUnpacked(unpacked, manifest)).toMatchObject({ ok: false, error: { message: expect.stringContaining('(dist/engine/runtime.wasm is a link') } });
    // An unpacked "folder" that cannot be listed is refused, not a crash.
    write(join(dir, 'not-a-folder'), 'x');
    expect(verifyUnpacked(join(dir, 'not-a-folder'), manifest)).toMatchObject({ ok: false, error: { code: 'INSTALL_TAMPERED', message: expect.stringContaining('cannot be read') } });
    for (const damaged of [undefined, { algorithm: 'md5', files: {} }, { algorithm: 'sha256', files: { a: 'not a hash' } }]) {
      expect(verifyUnpacked(unpacked, damaged)).toMatchObject({ ok: false, error: { code: 'INSTALL_TAMPERED', message: expect.stringContaining('list of program files is damaged') } });
    }
  });

  it('passes over what a file manager adds, and on macOS leaves native modules to the code signature', () => {
    const { project, packageDirs } = makeProject();
    const files = listUnpackedFiles(project, builderConfig.asarUnpack, packageDirs);
    const manifest = createUnpackedManifest(project, files);
    const { unpacked } = install(project, files);
    for (const litter of ['.DS_Store', 'dist/engine/._runtime.wasm', 'node_modules/native/Thumbs.db', 'node_modules/desktop.ini']) write(join(unpacked, litter), 'folder view');
    expect(verifyUnpacked(unpacked, manifest)).toEqual({ ok: true, value: undefined });

    // codesign writes a signature into the module after the list was made.
    const native = 'node_modules/native/build/Release/native.node';
    write(join(unpacked, native), 'native module + signature');
    expect(verifyUnpacked(unpacked, manifest, signedAfterPackaging('darwin'))).toEqual({ ok: true, value: undefined });
    expect(verifyUnpacked(unpacked, manifest, signedAfterPackaging('linux'))).toMatchObject({ ok: false, error: { message: expect.stringContaining(`(${native} has been changed)`) } });
    // Still only the listed modules may be there, and other files are still hashed.
    write(join(unpacked, 'dist/engine/extra.node'), 'planted');
    expect(verifyUnpacked(unpacked, manifest, signedAfterPackaging('darwin'))).toMatchObject({ ok: false, error: { message: expect.stringContaining('(dist/engine/extra.node is not part of this version)') } });
    rmSync(join(unpacked, 'dist/engine/extra.node'));
    write(join(unpacked, 'dist/engine/runtime.wasm'), 'other wasm');
    expect(verifyUnpacked(unpacked, manifest, signedAfterPackaging('darwin'))).toMatchObject({ ok: false, error: { message: expect.stringContaining('(dist/engine/runtime.wasm has been changed)') } });
  });

  it('makes the packaged app say so in a dialog and quit before it starts', () => {
    const { project, packageDirs } = makeProject();
    const files = listUnpackedFiles(project, builderConfig.asarUnpack, packageDirs);
    const { appPath, unpacked } = install(project, files);
    write(join(appPath, UNPACKED_MANIFEST_FILE), JSON.stringify(createUnpackedManifest(project, files)));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const intact = createFakeElectron({ packaged: true, appPath });
      expect(checkInstalledFiles(intact.electron as unknown as Electron)).toBe(true);
      expect(intact.errorBoxes).toEqual([]);

      write(join(unpacked, 'node_modules/native/node_modules/speech/espeak-ng.data'), 'other voices');
      const tampered = createFakeElectron({ packaged: true, appPath });
      expect(checkInstalledFiles(tampered.electron as unknown as Electron)).toBe(false);
      expect(tampered.errorBoxes).toEqual([
        {
          title: 'Kokoro Reader cannot start',
          content:
            'A program file of Kokoro Reader is not the one that was installed, so the app will not start. (node_modules/native/node_modules/speech/espeak-ng.data has been changed) Reinstall Kokoro Reader from its official download.',
        },
      ]);
      expect(tampered.app.exitCode).toBe(1);
      // Run from the project (not packaged), nothing is checked.
      const development = createFakeElectron({ appPath });
      expect(checkInstalledFiles(development.electron as unknown as Electron)).toBe(true);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('electron-builder.yml', () => {
  it('sets the fuses: no run-as-node, no file:// privileges, encrypted cookies, asar only and checked', () => {
    expect(builderConfig.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
    // Every key is one electron-builder knows (a misspelt fuse would be silently left as it is).
    const scheme = JSON.parse(readFileSync(join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as { definitions: Record<string, { properties?: Record<string, unknown> }> };
    const fuseKeys = Object.keys(scheme.definitions.FuseOptionsV1?.properties ?? {});
    expect(fuseKeys).toEqual(expect.arrayContaining(Object.keys(builderConfig.electronFuses)));
  });

  it('unpacks only the asarUnpack files, and lists them after the native rebuild', async () => {
    expect(builderConfig.smartUnpack).toBe(false);
    expect(builderConfig.afterExtract).toBe('scripts/after-extract.mjs');
    const hook = (await import(join(ROOT, builderConfig.afterExtract ?? ''))) as { default: unknown };
    expect(typeof hook.default).toBe('function');
  });
});
