import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths';

interface LockPackage {
  version?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface NoteRow {
  name: string;
  version: string;
  broughtBy: string[];
}

/** The rows of the README's table of old transitive packages. */
function noteRows(): NoteRow[] {
  const section = readme.split('### Old packages that come with others')[1]?.split(/\n#{2,3} /)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\| `/.test(line))
    .map((line) => {
      const [name = '', version = '', broughtBy = ''] = line.split('|').slice(1).map((cell) => cell.trim());
      return { name: name.replaceAll('`', ''), version, broughtBy: broughtBy.split(',').map((by) => by.trim().replaceAll('`', '')) };
    });
}

/** Where Node finds `name` from the package installed at `from`: the nearest node_modules up its path. */
function resolve(from: string, name: string): string | undefined {
  const parts = from.split('/node_modules/');
  for (let depth = parts.length; depth >= 1; depth--) {
    const candidate = `${parts.slice(0, depth).join('/node_modules/')}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
  }
  return lock.packages[`node_modules/${name}`] ? `node_modules/${name}` : undefined;
}

function packageName(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

describe('the README’s note on old transitive packages', () => {
  it('lists the four packages the audit of #11 named', () => {
    expect(noteRows().map((row) => row.name)).toEqual(['pako', 'readable-stream', 'underscore', '@xmldom/xmldom']);
  });

  it('gives for each the version installed and every app package that loads that copy, as the lock file has them', () => {
    for (const row of noteRows()) {
      const loadedBy = new Set<string>();
      for (const [path, info] of Object.entries(lock.packages)) {
        if (!path || info.dev) continue;
        if (!info.dependencies?.[row.name] && !info.optionalDependencies?.[row.name]) continue;
        const copy = resolve(path, row.name);
        if (copy && lock.packages[copy]?.version === row.version) loadedBy.add(packageName(path));
      }
      // An update that drops or moves a package makes this fail: read the note again then.
      expect([...loadedBy].sort(), `${row.name} ${row.version}`).toEqual([...row.broughtBy].sort());
    }
  });
});
