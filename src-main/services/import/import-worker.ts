// Worker-thread entry: imports one file and posts the document (or catalogue error data)
// back. Built as its own bundle (dist/import/import-worker.mjs) so the main process never
// loads the parsers; the parent passes the path to that bundle to importFileInWorker.
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../../../src-shared/errors/catalogue';
import { importFile } from './import-file';
import type { ImportWorkerData, ImportWorkerMessage, ImportWorkerRequest } from './import-in-worker';

const port = parentPort;
const post = (message: ImportWorkerMessage): void => port?.postMessage(message);
// The parsers check this signal between pages, chapters and stream scans, so a cancel stops
// them there even before terminate() takes effect.
const stop = new AbortController();
port?.on('message', (request: ImportWorkerRequest) => {
  if (request.type === 'cancel') stop.abort();
});

async function run(data: ImportWorkerData): Promise<void> {
  try {
    const document = await importFile(data.path, {
      signal: stop.signal,
      ...(data.limits ? { limits: data.limits } : {}),
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    post({ type: 'done', document });
  } catch (error) {
    post({ type: 'error', error: toErrorData(error) });
  }
  // The parent terminates the worker once it has the answer.
}

if (port) void run(workerData as ImportWorkerData);
