import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../helpers/goldens';

// src-shared/kokoro is also compiled for the browser: no Node or DOM APIs there.
describe('src-shared/kokoro stays platform-free', () => {
  const dir = resolve(PROJECT_ROOT, 'src-shared', 'kokoro');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it('has its modules', () => {
    expect(files).toEqual(expect.arrayContaining(['index.ts', 'alignment.ts', 'source.ts', 'stft.ts', 'istft.ts', 'spans.ts', 'random.ts', 'constants.ts']));
  });

  for (const f of files) {
    it(`${f} imports only relative modules and uses no Node/DOM globals`, () => {
      const text = readFileSync(resolve(dir, f), 'utf8');
      const imports = [...text.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const spec of imports) expect(spec).toMatch(/^\.\//);
      // Code only: comments may mention anything.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      expect(code).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b|\bdocument\.|\bwindow\.|\bglobalThis\b|\bimport\(/);
    });
  }
});
