// Worker-thread entry: imports one file and posts the document (or catalogue error data)
// back. Built as its own bundle (dist/import/import-worker.mjs) so the main process never
// loads the parsers; the parent passes the path to that bundle to importFileInWorker.
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../../../src-shared/errors/catalogue';
import { importFile } from './import-file';
import type { ImportWorkerData, ImportWorkerMessage } from './import-in-worker';

const port = parentPort;
const post = (message: ImportWorkerMessage): void => port?.postMessage(message);

async function run(data: ImportWorkerData): Promise<void> {
  try {
    const document = await importFile(data.path, {
      ...(data.limits ? { limits: data.limits } : {}),
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    post({ type: 'done', document });
  } catch (error) {
    post({ type: 'error', error: toErrorData(error) });
  }
}

if (port) void run(workerData as ImportWorkerData);
