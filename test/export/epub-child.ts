// Writes a read-along EPUB in a child process, so a test can run it under a file size limit
// (`ulimit -f`, a full disk as the writer sees it: EFBIG). Prints the outcome as JSON.
// Usage: epub-child.ts OUT_PATH AUDIO_PATH...
import { writeReadAlongEpub } from '../../src-main/services/export/readalong-epub';
import { AppError } from '../../src-shared/errors/catalogue';
import { sampleDocument, timelineOf } from './timeline';

const [outPath, ...audioPaths] = process.argv.slice(2);
const document = sampleDocument();
const timeline = timelineOf(document, [0, 1, 2]);
try {
  await writeReadAlongEpub({
    outPath: outPath!,
    document,
    metadata: { title: document.title },
    chapters: timeline.chapters,
    cues: timeline.cues,
    chapterAudio: timeline.chapters.map((mark, index) => ({ chapter: mark.chapter, path: audioPaths[index]!, mediaType: 'audio/mpeg', samples: timeline.chapterSamples.get(mark.chapter)! })),
  });
  console.log(JSON.stringify({ written: true }));
} catch (thrown) {
  console.log(JSON.stringify(thrown instanceof AppError ? { code: thrown.code, message: thrown.message } : { thrown: String(thrown) }));
}
