/**
 * The Kokoro model folder as the model manager reports it: each file's state, progress of a
 * download or import, and the outcome of each operation. Plain data, so it crosses to the window.
 */
import type { ErrorData } from '../errors/catalogue';

export type ModelFileState = 'missing' | 'partial' | 'present' | 'invalid' | 'verified';

export interface ModelFileStatus {
  name: string;
  role: string;
  path: string;
  /**
   * missing: not there; partial: a download was started; present: there but not verified since
   * it last changed; invalid: its size is wrong; verified: checked against the manifest.
   */
  state: ModelFileState;
  present: boolean;
  verified: boolean;
  /** Bytes of the installed file, or null when it is missing. */
  size: number | null;
  expectedSize: number | null;
  approxSize: number | null;
  /** Bytes of an unfinished download, or null. */
  partialSize: number | null;
  /** Whether the manifest gives a SHA-256 (otherwise verification is size and format only). */
  checksumKnown: boolean;
  /** SHA-256 of the file when it was last verified. */
  sha256: string | null;
  problem: string | null;
}

export type ModelPhase = 'checking' | 'downloading' | 'verifying' | 'copying' | 'done' | 'skipped';

export interface ModelProgress {
  file: string;
  /** 0-based position of the file in the manifest. */
  fileIndex: number;
  fileCount: number;
  phase: ModelPhase;
  fileBytes: number;
  fileTotal: number | null;
  overallBytes: number;
  /** Sum of the best-known sizes; an estimate unless overallTotalExact. */
  overallTotal: number;
  overallTotalExact: boolean;
}


export interface DownloadSummary {
  dir: string;
  downloaded: string[];
  /** Already installed and verified. */
  skipped: string[];
  bytesTransferred: number;
}

export interface VerifyResult {
  name: string;
  state: 'ok' | 'missing' | 'invalid';
  size: number | null;
  sha256: string | null;
  checksumKnown: boolean;
  problem: string | null;
}

export interface VerifyReport {
  ok: boolean;
  files: VerifyResult[];
}

export interface ImportResult {
  name: string;
  /** linked/copied: installed from the folder; unchanged: already installed and not in the folder (or the same file). */
  outcome: 'linked' | 'copied' | 'unchanged' | 'missing' | 'rejected';
  source: string | null;
  error: ErrorData | null;
}

export interface ImportReport {
  /** No file was rejected. */
  ok: boolean;
  /** Every file of the manifest is now installed and verified. */
  complete: boolean;
  files: ImportResult[];
}
