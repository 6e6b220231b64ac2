/**
 * Run in a child process by runtime.test.ts (LiteRT.js loads once per process): loads the
 * runtime with $KOKORO_LITERT_VARIANT and a cache folder from argv, runs one small graph and
 * prints one JSON line.
 */
import { loadLiteRtRuntime } from '../../src-main/engine/kokoro/litert-runtime';
import { TfliteGraphWriter } from '../../scripts/lib/tflite-writer';

async function main(): Promise<void> {
  const logs: string[] = [];
  try {
    const runtime = await loadLiteRtRuntime({ cacheDir: process.argv[2], log: (l) => logs.push(l) });
    const w = new TfliteGraphWriter();
    const x = w.input('x', 'float32', [1, 3]);
    w.output(w.mul(x, w.constant(Float32Array.of(3), [1, 1])), 'y');
    const model = await runtime.loadModel(w.build(), 'triple');
    const out = await model.run({ x: Float32Array.of(1, 2, 3) });
    model.delete();
    console.log(JSON.stringify({ variant: runtime.variant, threads: runtime.threads, y: Array.from(out.y ?? []), logs }));
  } catch (err) {
    console.log(JSON.stringify({ error: (err as { code?: string }).code ?? String(err), message: (err as Error).message, logs }));
  }
}

void main();
