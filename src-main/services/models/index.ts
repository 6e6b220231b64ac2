/** The model manager: the manifest, the model folder, and the CLI's `models` commands. */
export { bundledManifest, isPinnedRevision, parseManifest, readManifestFile } from './manifest';
export type { ModelFileEntry, ModelFileFormat, ModelManifest } from './manifest';
export { ModelManager } from './model-manager';
export type {
  DownloadSummary,
  ImportReport,
  ImportResult,
  ModelFileState,
  ModelFileStatus,
  ModelManagerOptions,
  ModelOperationOptions,
  ModelPhase,
  ModelProgress,
  VerifyReport,
  VerifyResult,
} from './model-manager';
export { formatBytes, formatImportReport, formatModelList, formatProgressLine, formatVerifyReport } from './format';
export { modelsDownload, modelsImport, modelsList, modelsVerify } from './commands';
export type { ModelsCommandOptions } from './commands';
