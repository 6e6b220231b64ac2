import { formatDoctorReport, inspectModelDir } from '../engine/kokoro/inspect';
import { modelsDownload, modelsImport, modelsList, modelsVerify } from '../services/models/index';
import { COMMANDS, UsageError, parseCommand } from './usage';
import type { Write } from './text-commands';

/** `kokoro-reader models …`: the model manager and the doctor, one line each. */
export async function modelsCommand(args: string[], write: Write, defaultDir: string): Promise<number> {
  const { values, positionals } = parseCommand(COMMANDS.models, args);
  const [action, ...rest] = positionals;
  const modelDir = values['model-dir'] ?? defaultDir;
  const line = (text: string): void => write(`${text}\n`);
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.once('SIGINT', cancel);
  try {
    const writeError = (text: string): void => void process.stderr.write(`kokoro-reader: ${text.replace(/^Error: /, '')}\n`);
    const options = { modelDir, write: line, writeError, signal: controller.signal, ...(values.json ? { json: true } : {}) };
    switch (action) {
      case 'list':
        return await modelsList(options);
      case 'download':
        return await modelsDownload(options);
      case 'import': {
        const [from] = rest;
        if (!from) throw new UsageError('models import needs the folder to import from');
        return await modelsImport(from, options);
      }
      case 'verify':
        return await modelsVerify(options);
      case 'doctor': {
        const report = await inspectModelDir(modelDir);
        for (const text of formatDoctorReport(report)) line(text);
        return report.ok ? 0 : 1;
      }
      default:
        throw new UsageError(action ? `unknown models action "${action}"` : 'models needs an action', COMMANDS.models);
    }
  } finally {
    process.off('SIGINT', cancel);
  }
}
