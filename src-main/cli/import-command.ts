import { chapterWordCount, documentWordCount } from '../../src-shared/document/words';
import { importFile } from '../services/import/import-file';
import { COMMANDS, UsageError, parseCommand } from './usage';
import type { Write } from './text-commands';

/** `kokoro-reader import FILE [--json]`: what the app would open, chapter by chapter. */
export async function importCommand(args: string[], write: Write): Promise<void> {
  const { values, positionals } = parseCommand(COMMANDS.import, args);
  const [file] = positionals;
  if (!file) throw new UsageError('import needs a FILE');
  const document = await importFile(file);
  if (values.json) {
    write(`${JSON.stringify(document, null, 2)}\n`);
    return;
  }
  write(`${document.title}${document.author ? ` — ${document.author}` : ''} (${document.format}, ${documentWordCount(document)} words)\n`);
  document.chapters.forEach((chapter, i) => write(`${String(i + 1).padStart(3)}. ${chapter.title}\t${chapterWordCount(chapter)} words\n`));
  for (const warning of document.warnings ?? []) process.stderr.write(`note: ${warning}\n`);
}
