// Document import. The app's main process should use importFileInWorker (after
// configureImportWorker); importFile runs in the calling thread (CLI, tests, the worker).
export { importBytes, importFile } from './import-file';
export { configureImportWorker, DEFAULT_IMPORT_TIMEOUT_MS, importFileInWorker, liveImportWorkers } from './import-in-worker';
export type { ImportInWorkerOptions } from './import-in-worker';
export { DEFAULT_LIMITS } from './limits';
export type { ImportLimits, ImportOptions, ImportProgress } from './limits';
export { detectFormat } from './detect';
