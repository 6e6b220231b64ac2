import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths';

interface LayerZone {
  target: string;
  from: string[];
}

const FIXTURES = join(ROOT, 'test', 'layers', 'fixtures');
const LAYER_RULE = 'import-x/no-restricted-paths';

// The project's config; type information off, as the file linted exists only here.
const eslint = new ESLint({ cwd: ROOT, overrideConfig: [ts.configs.disableTypeChecked] });

/** Lints a fixture as if it stood where its first line says (`// linted as PATH`). */
async function lintFixture(name: string): Promise<ESLint.LintResult> {
  const code = readFileSync(join(FIXTURES, name), 'utf8');
  const pretendPath = /^\/\/ linted as (\S+)/.exec(code)?.[1];
  if (!pretendPath) throw new Error(`${name} must start with "// linted as PATH"`);
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, pretendPath) });
  if (!result) throw new Error(`no lint result for ${name}`);
  return result;
}

const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.ts'));
const forbidden = fixtures.filter((name) => !name.startsWith('allowed-'));
const allowed = fixtures.filter((name) => name.startsWith('allowed-'));

describe('layering lint rule', () => {
  it('has a planted import for every forbidden edge', async () => {
    const config = (await eslint.calculateConfigForFile(join(ROOT, 'src-main', 'engine', 'any.ts'))) as { rules: Record<string, [unknown, { zones: LayerZone[] }]> };
    const zones = config.rules[LAYER_RULE]?.[1].zones ?? [];
    const edges = zones.flatMap((zone) => zone.from.map((from) => `${layerName(zone.target)}-imports-${layerName(from)}.ts`));
    expect(forbidden.sort()).toEqual(edges.sort());
  });

  for (const name of forbidden) {
    it(`fails ${name.replace(/\.ts$/, '').replaceAll('-', ' ')}`, async () => {
      const result = await lintFixture(name);
      const layerErrors = result.messages.filter((m) => m.ruleId === LAYER_RULE);
      expect(layerErrors, JSON.stringify(result.messages)).toHaveLength(1);
      expect(layerErrors[0]?.severity).toBe(2);
    });
  }

  for (const name of allowed) {
    it(`passes ${name.replace(/^allowed-|\.ts$/g, '').replaceAll('-', ' ')}`, async () => {
      const result = await lintFixture(name);
      expect(result.messages).toEqual([]);
    });
  }
});

/** 'src-main/engine' -> 'engine', 'src-shared' -> 'shared', 'src-main' -> 'main'. */
function layerName(folder: string): string {
  return folder.split('/').at(-1)?.replace(/^src-/, '') ?? folder;
}
