import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from '../helpers/goldens';

// src-shared/kokoro is also compiled for the browser: no Node or DOM APIs there.
describe('src-shared/kokoro stays platform-free', () => {
  const shared = resolve(PROJECT_ROOT, 'src-shared');
  const dir = resolve(shared, 'kokoro');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  const importsOf = (path: string): string[] => [...readFileSync(path, 'utf8').matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
  // The src-shared modules outside kokoro/ that it uses are held to the same rules.
  const helpers = [...new Set(files.flatMap((f) => importsOf(resolve(dir, f)).filter((spec) => spec.startsWith('../')).map((spec) => relative(dir, resolve(dir, `${spec}.ts`)))))];

  it('has its modules', () => {
    expect(files).toEqual(expect.arrayContaining(['index.ts', 'alignment.ts', 'source.ts', 'stft.ts', 'istft.ts', 'spans.ts', 'random.ts', 'constants.ts']));
  });

  for (const f of [...files, ...helpers]) {
    it(`${f} imports only relative modules inside src-shared and uses no Node/DOM globals`, () => {
      const path = resolve(dir, f);
      const text = readFileSync(path, 'utf8');
      for (const spec of importsOf(path)) {
        expect(spec).toMatch(/^\.\.?\//);
        expect(relative(shared, resolve(dirname(path), spec)), spec).not.toMatch(/^\.\./);
      }
      // Code only: comments may mention anything.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      expect(code).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b|\bdocument\.|\bwindow\.|\bglobalThis\b|\bimport\(/);
    });
  }
});
