// electron-builder's afterExtract hook: after native modules are rebuilt for Electron and before
// the app's files are packed, so the hashes are those of the files that ship and the list lands
// inside the asar.
import { tsImport } from 'tsx/esm/api';

export default async function afterExtract(context) {
  const { writeUnpackedManifest } = await tsImport('./unpacked-manifest.ts', import.meta.url);
  const manifest = writeUnpackedManifest(context.packager.projectDir, context.packager.config.asarUnpack ?? []);
  console.log(`  • unpacked-manifest  files=${Object.keys(manifest.files).length}`);
}
