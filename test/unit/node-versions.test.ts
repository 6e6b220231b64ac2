import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths';

interface LockPackage {
  engines?: { node?: string } | string[];
}

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('supported Node versions', () => {
  it('names in the README every installed package whose declared Node versions leave out our minimum (npm warns about each)', () => {
    const minimum = semver.minVersion(packageJson.engines.node);
    expect(minimum?.version).toBe('20.19.0');
    const warned = new Set<string>();
    for (const [path, info] of Object.entries(lock.packages)) {
      const range = Array.isArray(info.engines) ? undefined : info.engines?.node;
      if (!path || !range || semver.satisfies(minimum?.version ?? '', range)) continue;
      warned.add(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    }
    // If a new dependency warns, the README must say why that is harmless (or the cause must go).
    for (const name of warned) expect(readme, name).toContain(`\`${name}\``);
    expect(readme).toContain('Node.js 20.19 or newer');
  });
});
