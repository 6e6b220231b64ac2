/** Plain-text lines for the CLI (and logs): the model list and download progress. */
import type { ImportReport, ModelFileStatus, ModelProgress, VerifyReport } from './model-manager';

/** Decimal units, as the download sites show sizes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function describeState(s: ModelFileStatus): string {
  switch (s.state) {
    case 'verified':
      return s.checksumKnown ? 'verified' : 'verified (size/format; no checksum known yet)';
    case 'present':
      return 'present, not verified (run `models verify`)';
    case 'invalid':
      return `wrong file: ${s.problem ?? 'does not match'}`;
    case 'partial':
      return `missing (download stopped at ${formatBytes(s.partialSize ?? 0)}; it will continue)`;
    case 'missing':
      return 'missing';
  }
}

function sizeColumn(s: ModelFileStatus): string {
  if (s.size !== null) return formatBytes(s.size);
  if (s.expectedSize !== null) return formatBytes(s.expectedSize);
  if (s.approxSize !== null) return `~${formatBytes(s.approxSize)}`;
  return '?';
}

/** One line per file, then a summary line that says what to do next. */
export function formatModelList(status: readonly ModelFileStatus[], dir?: string): string[] {
  const nameWidth = Math.max(...status.map((s) => s.name.length), 4) + 2;
  const lines: string[] = [];
  if (dir !== undefined) lines.push(`Model folder: ${dir}`);
  for (const s of status) lines.push(`${pad(s.name, nameWidth)}${pad(sizeColumn(s), 10)}${describeState(s)}`);
  const verified = status.filter((s) => s.verified).length;
  const installed = status.filter((s) => s.present && s.state !== 'invalid').length;
  if (verified === status.length) lines.push(`All ${status.length} files are installed and verified.`);
  else if (installed === status.length) lines.push(`All ${status.length} files are installed; ${status.length - verified} not verified yet: run \`kokoro-reader models verify\`.`);
  else lines.push(`${installed} of ${status.length} files installed: run \`kokoro-reader models download\` (or \`models import DIR\`).`);
  return lines;
}

function percent(done: number, total: number): string {
  return total > 0 ? `${Math.min(100, Math.floor((done / total) * 100))}%` : '';
}

/** A one-line progress report, e.g. "[3/9] kokoro_vocoder.tflite  12.0 MB / 236 MB (5%)  overall 140 MB / ~370 MB". */
export function formatProgressLine(p: ModelProgress): string {
  const head = `[${p.fileIndex + 1}/${p.fileCount}] ${p.file}`;
  const verb = p.phase === 'downloading' ? '' : `${p.phase} `;
  const file =
    p.fileTotal !== null && p.fileTotal > 0
      ? `${formatBytes(p.fileBytes)} / ${formatBytes(p.fileTotal)} (${percent(p.fileBytes, p.fileTotal)})`
      : formatBytes(p.fileBytes);
  const overallTotal = p.overallTotal > 0 ? ` / ${p.overallTotalExact ? '' : '~'}${formatBytes(p.overallTotal)}` : '';
  return `${head}  ${verb}${file}  overall ${formatBytes(p.overallBytes)}${overallTotal}`;
}

export function formatVerifyReport(report: VerifyReport): string[] {
  const width = Math.max(...report.files.map((f) => f.name.length), 4) + 2;
  const lines = report.files.map((f) => {
    if (f.state === 'missing') return `${pad(f.name, width)}missing`;
    if (f.state === 'invalid') return `${pad(f.name, width)}WRONG: ${f.problem ?? ''}`;
    const how = f.checksumKnown ? 'ok (sha256 matches)' : `ok (size/format; sha256 ${f.sha256 ?? '?'})`;
    return `${pad(f.name, width)}${how}`;
  });
  lines.push(report.ok ? 'All model files are correct.' : 'Some model files are missing or wrong: run `kokoro-reader models download`.');
  return lines;
}

export function formatImportReport(report: ImportReport): string[] {
  const width = Math.max(...report.files.map((f) => f.name.length), 4) + 2;
  const lines = report.files.map((f) => {
    switch (f.outcome) {
      case 'linked':
        return `${pad(f.name, width)}imported (hard link to ${f.source ?? '?'})`;
      case 'copied':
        return `${pad(f.name, width)}imported (copied from ${f.source ?? '?'})`;
      case 'unchanged':
        return `${pad(f.name, width)}already installed`;
      case 'missing':
        return `${pad(f.name, width)}not in that folder`;
      case 'rejected':
        return `${pad(f.name, width)}REJECTED: ${f.error?.message ?? ''}`;
    }
  });
  if (!report.ok) lines.push('Some files were rejected; they were not installed.');
  else if (!report.complete) lines.push('Some files are still missing: run `kokoro-reader models download` for the rest.');
  else lines.push('All model files are installed and verified.');
  return lines;
}
