/**
 * The export queue as the library keeps it: a job survives a quit or a crash, and the next start
 * runs it again (the audio cache makes that a resume). Finished jobs are kept for the window's
 * list, the newest few only.
 */
import type { ExportOptions } from '../../../src-shared/export/types';
import type { SqliteDatabase } from './database';

export type ExportJobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface StoredExportJob {
  id: number;
  documentId: number;
  title: string;
  options: ExportOptions;
  state: ExportJobState;
  /** The catalogue error's code and message of a failed job. */
  error?: { code: string; message: string } | undefined;
  files?: string[] | undefined;
  createdAt: number;
  updatedAt: number;
}

interface ExportJobRow {
  id: number;
  document_id: number;
  title: string;
  options: string;
  state: ExportJobState;
  error: string | null;
  files: string | null;
  created_at: number;
  updated_at: number;
}

/** Finished jobs kept for the list; older ones go when a job finishes. */
const FINISHED_KEPT = 20;

export class ExportJobStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  add(documentId: number, title: string, options: ExportOptions): StoredExportJob {
    const at = this.now();
    const id = this.db.run(
      (db) =>
        db
          .prepare("INSERT INTO export_jobs (document_id, title, options, state, created_at, updated_at) VALUES (?, ?, ?, 'queued', ?, ?)")
          .run(documentId, title, JSON.stringify(options), at, at).lastInsertRowid,
    );
    return this.get(Number(id)) as StoredExportJob;
  }

  get(id: number): StoredExportJob | undefined {
    const row = this.db.run((db) => db.prepare('SELECT * FROM export_jobs WHERE id = ?').get(id) as ExportJobRow | undefined);
    return row ? toJob(row) : undefined;
  }

  /** Jobs still to run, oldest first: queued ones, and the one a quit or a crash interrupted. */
  unfinished(): StoredExportJob[] {
    const rows = this.db.run((db) => db.prepare("SELECT * FROM export_jobs WHERE state IN ('queued', 'running') ORDER BY id").all() as ExportJobRow[]);
    return rows.map((row) => toJob(row));
  }

  /** All kept jobs, newest first. */
  list(): StoredExportJob[] {
    const rows = this.db.run((db) => db.prepare('SELECT * FROM export_jobs ORDER BY id DESC').all() as ExportJobRow[]);
    return rows.map((row) => toJob(row));
  }

  setState(id: number, state: ExportJobState, outcome: { error?: { code: string; message: string }; files?: string[] } = {}): void {
    this.db.run((db) => {
      db.prepare('UPDATE export_jobs SET state = ?, error = ?, files = ?, updated_at = ? WHERE id = ?').run(
        state,
        outcome.error ? JSON.stringify(outcome.error) : null,
        outcome.files ? JSON.stringify(outcome.files) : null,
        this.now(),
        id,
      );
      if (state === 'done' || state === 'failed' || state === 'cancelled') {
        db.prepare(
          `DELETE FROM export_jobs WHERE state IN ('done', 'failed', 'cancelled') AND id NOT IN (
             SELECT id FROM export_jobs WHERE state IN ('done', 'failed', 'cancelled') ORDER BY id DESC LIMIT ?)`,
        ).run(FINISHED_KEPT);
      }
    });
  }
}

function toJob(row: ExportJobRow): StoredExportJob {
  return {
    id: row.id,
    documentId: row.document_id,
    title: row.title,
    options: JSON.parse(row.options) as ExportOptions,
    state: row.state,
    error: row.error ? (JSON.parse(row.error) as { code: string; message: string }) : undefined,
    files: row.files ? (JSON.parse(row.files) as string[]) : undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
