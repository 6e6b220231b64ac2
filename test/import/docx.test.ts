import { afterAll, describe, expect, it } from 'vitest';
import { documentProblems } from '../../src-shared/document';
import { importFile } from '../../src-main/services/import';
import { blockTexts, FixtureDir, makeDocx } from './fixtures';

const dir = new FixtureDir();
afterAll(() => dir.remove());

describe('DOCX', () => {
  it('splits at headings, reads lists and tables row by row, and keeps footnotes out of the flow', async () => {
    const document = await importFile(dir.write('notes.docx', await makeDocx()));
    expect(document).toMatchObject({ title: 'Quarterly Notes', author: 'Dana Writer', format: 'docx' });
    expect(document.chapters.map((chapter) => chapter.title)).toEqual(['Introduction', 'Results']);
    expect(blockTexts(document, 0)).toEqual(['Introduction', 'The opening has bold words and a note.', 'First point', 'Second point']);
    const intro = document.chapters[0];
    expect(intro?.blocks.map((block) => block.kind)).toEqual(['heading', 'paragraph', 'list-item', 'list-item']);
    const strong = intro?.blocks[1]?.emphasis?.[0];
    expect(strong && intro?.text.slice(strong.start, strong.end)).toBe('bold words');

    expect(blockTexts(document, 1)).toEqual(['Results', 'The table follows.', 'Name', 'Score', 'Ada', '42', 'Details', 'A subsection stays in its chapter.', 'A footnote that is not read in the flow.']);
    const results = document.chapters[1];
    expect(results?.blocks.filter((block) => block.kind === 'table-cell')).toHaveLength(4);
    expect(results?.blocks.at(-1)?.skipFromReading).toBe(true);
    expect(documentProblems(document)).toEqual([]);
  });
});
