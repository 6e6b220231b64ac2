/**
 * Binds the tensors of the three Kokoro graphs to their roles. Exports differ in naming
 * (`input_ids` vs `ids`, `serving_default_args_0:0`, `output_1`) and in the ids dtype, so the
 * rule is: by name when a name matches a role, else by dtype and shape when that is unambiguous,
 * else by order (F0 before N, spec before phase). Pure logic over a signature description, so
 * the inspect report and the runtime choose the same binding.
 */
import { AppError } from '../../../src-shared/errors/catalogue';

export type GraphKind = 'predictor' | 'prosody' | 'vocoder';

export const GRAPH_KINDS: readonly GraphKind[] = ['predictor', 'prosody', 'vocoder'];

export const GRAPH_FILES: Record<GraphKind, string> = {
  predictor: 'kokoro_predictor.tflite',
  prosody: 'kokoro_prosody.tflite',
  vocoder: 'kokoro_vocoder.tflite',
};

export interface TensorSpec {
  name: string;
  dtype: string;
  /** -1 marks a dimension of unknown size. */
  shape: readonly number[];
}

/** Inputs and outputs in the order the model lists them (subgraph order). */
export interface SignatureSpec {
  inputs: readonly TensorSpec[];
  outputs: readonly TensorSpec[];
}

export interface RoleSpec {
  role: string;
  dtypes: readonly string[];
  shape: readonly number[];
  /** Normalised names (lower case) that mean this role. */
  names: readonly string[];
  /**
   * Passed from one graph to the next without the host reading it (d, t_en, asr, N). Its shape
   * is only what the PyTorch model suggests, so any shape with as many values fits; the two
   * graphs must then agree (forwardingProblems).
   */
  forwarded?: boolean;
}

export interface GraphRoles {
  inputs: readonly RoleSpec[];
  outputs: readonly RoleSpec[];
}

const F32 = ['float32'];

function role(name: string, shape: number[], names: string[] = [], dtypes: string[] = F32): RoleSpec {
  return { role: name, dtypes, shape, names: [name.toLowerCase(), ...names] };
}

function forwarded(spec: RoleSpec): RoleSpec {
  return { ...spec, forwarded: true };
}

const REF_S = role('ref_s', [1, 256], ['style', 'ref', 's', 'ref_style']);
const D = forwarded(role('d', [1, 128, 640], ['d_en']));
const T_EN = forwarded(role('t_en', [1, 512, 128], ['ten']));
const FRAME_MASK = role('frame_mask', [1, 512], ['frames_mask', 'mask', 'frame_attn']);
const ASR = forwarded(role('asr', [1, 512, 512]));
const F0 = role('F0', [1, 1024], ['f0_pred', 'f0_curve', 'pitch']);
const N = forwarded(role('N', [1, 1024], ['n_pred', 'energy']));

/** Roles in canonical order (the order used when names and shapes do not decide). */
export const GRAPH_ROLES: Record<GraphKind, GraphRoles> = {
  predictor: {
    inputs: [
      role('ids', [1, 128], ['input_ids', 'tokens', 'token_ids', 'phonemes', 'x'], ['int32', 'int64']),
      REF_S,
      role('attn', [1, 128], ['attn_mask', 'attention_mask', 'mask', 'input_mask', 'text_mask']),
    ],
    outputs: [role('duration', [1, 128], ['dur', 'durations', 'pred_dur']), D, T_EN],
  },
  prosody: {
    inputs: [D, T_EN, role('aln', [1, 128, 512], ['alignment', 'pred_aln_trg']), REF_S, FRAME_MASK],
    outputs: [ASR, F0, N],
  },
  vocoder: {
    inputs: [ASR, F0, N, role('har', [1, 22, 61441], ['har_source', 'source']), REF_S, FRAME_MASK],
    outputs: [role('spec', [1, 11, 61441], ['magnitude', 'mag']), role('phase', [1, 11, 61441], ['phi'])],
  },
};

export type BindMethod = 'name' | 'shape' | 'order';

export interface RoleBinding {
  role: string;
  /** The name the runtime knows the tensor by (signature name). */
  tensor: string;
  dtype: string;
  shape: number[];
  by: BindMethod;
}

export interface GraphBinding {
  graph: GraphKind;
  inputs: RoleBinding[];
  outputs: RoleBinding[];
  /** Outputs no role uses (allowed; they are computed and dropped). */
  unusedOutputs: string[];
}

export type BindResult = { ok: true; binding: GraphBinding } | { ok: false; problem: string; expected: string; found: string };

/** Lower case, without a `serving_default_` prefix or a `:0` suffix. */
export function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^serving_default_/, '')
    .replace(/:\d+$/, '');
}

function shapeMatches(actual: readonly number[], expected: readonly number[]): boolean {
  return actual.length === expected.length && actual.every((d, i) => d === -1 || d === expected[i]);
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function fits(t: TensorSpec, r: RoleSpec): boolean {
  if (!r.dtypes.includes(t.dtype)) return false;
  if (shapeMatches(t.shape, r.shape)) return true;
  return r.forwarded === true && t.shape.every((d) => d > 0) && count(t.shape) === count(r.shape);
}

export function formatSpec(t: { dtype: string; shape: readonly number[] }): string {
  return `${t.dtype}[${t.shape.join(',')}]`;
}

function formatRole(r: RoleSpec): string {
  const any = r.forwarded ? ` (or another shape of ${count(r.shape)} values)` : '';
  return `${r.role} ${r.dtypes.join('|')}[${r.shape.join(',')}]${any}`;
}

function formatTensors(ts: readonly TensorSpec[]): string {
  return ts.length ? ts.map((t) => `${t.name} ${formatSpec(t)}`).join(', ') : '(none)';
}

/** Binds one side (inputs or outputs). Returns the bindings and the roles left unbound. */
function bindSide(roles: readonly RoleSpec[], tensors: readonly TensorSpec[]): { bound: (RoleBinding | undefined)[]; used: Set<number> } {
  const bound: (RoleBinding | undefined)[] = roles.map(() => undefined);
  const used = new Set<number>();
  const bind = (ri: number, ti: number, by: BindMethod): void => {
    const t = tensors[ti]!;
    bound[ri] = { role: roles[ri]!.role, tensor: t.name, dtype: t.dtype, shape: [...t.shape], by };
    used.add(ti);
  };

  // 1. Names (only when dtype and shape fit too: a matching name on a wrong shape is a wrong model).
  roles.forEach((r, ri) => {
    const matches = tensors.map((t, ti) => ({ t, ti })).filter(({ t, ti }) => !used.has(ti) && r.names.includes(normalizeName(t.name)) && fits(t, r));
    if (matches.length === 1) bind(ri, matches[0]!.ti, 'name');
  });

  // 2. Dtype and shape, where exactly one tensor fits a role and it fits no other open role.
  for (let progress = true; progress; ) {
    progress = false;
    roles.forEach((r, ri) => {
      if (bound[ri]) return;
      const candidates = tensors.map((t, ti) => ({ t, ti })).filter(({ t, ti }) => !used.has(ti) && fits(t, r));
      if (candidates.length !== 1) return;
      const { t, ti } = candidates[0]!;
      const rivals = roles.filter((other, oi) => oi !== ri && !bound[oi] && fits(t, other));
      if (rivals.length > 0) return;
      bind(ri, ti, 'shape');
      progress = true;
    });
  }

  // 3. Order: each open role takes the first open tensor that fits.
  roles.forEach((r, ri) => {
    if (bound[ri]) return;
    const ti = tensors.findIndex((t, i) => !used.has(i) && fits(t, r));
    if (ti !== -1) bind(ri, ti, 'order');
  });
  return { bound, used };
}

/** Binds a graph's signature to its roles, or says what did not fit. */
export function tryBindGraph(graph: GraphKind, signature: SignatureSpec): BindResult {
  const roles = GRAPH_ROLES[graph];
  const inputs = bindSide(roles.inputs, signature.inputs);
  const outputs = bindSide(roles.outputs, signature.outputs);
  const problems: string[] = [];
  const missingIn = roles.inputs.filter((_, i) => !inputs.bound[i]).map((r) => r.role);
  const missingOut = roles.outputs.filter((_, i) => !outputs.bound[i]).map((r) => r.role);
  const extraIn = signature.inputs.filter((_, i) => !inputs.used.has(i)).map((t) => t.name);
  if (missingIn.length) problems.push(`no input fits ${missingIn.join(', ')}`);
  if (extraIn.length) problems.push(`unexpected input ${extraIn.join(', ')}`);
  if (missingOut.length) problems.push(`no output fits ${missingOut.join(', ')}`);
  if (problems.length) {
    return {
      ok: false,
      problem: problems.join('; '),
      expected: `inputs ${roles.inputs.map(formatRole).join(', ')} -> outputs ${roles.outputs.map(formatRole).join(', ')}`,
      found: `inputs ${formatTensors(signature.inputs)} -> outputs ${formatTensors(signature.outputs)}`,
    };
  }
  return {
    ok: true,
    binding: {
      graph,
      inputs: inputs.bound as RoleBinding[],
      outputs: outputs.bound as RoleBinding[],
      unusedOutputs: signature.outputs.filter((_, i) => !outputs.used.has(i)).map((t) => t.name),
    },
  };
}

/** The one-line text of a failed binding (for errors and the doctor report). */
export function describeBindFailure(graph: GraphKind, result: Extract<BindResult, { ok: false }>): string {
  return `the ${graph} graph's tensors do not fit the Kokoro layout: ${result.problem}. Expected ${result.expected}. Found ${result.found}.`;
}

/** Like tryBindGraph, but throws MODEL_INVALID listing what was expected and found. */
export function bindGraph(graph: GraphKind, signature: SignatureSpec, file = GRAPH_FILES[graph]): GraphBinding {
  const result = tryBindGraph(graph, signature);
  if (result.ok) return result.binding;
  throw AppError.of('MODEL_INVALID', `(${file}: ${describeBindFailure(graph, result)})`, {
    file,
    graph,
    expected: result.expected,
    found: result.found,
  });
}

/** Tensors the host hands from one graph to the next as they are. */
export const FORWARDED: readonly { role: string; from: GraphKind; to: GraphKind }[] = [
  { role: 'd', from: 'predictor', to: 'prosody' },
  { role: 't_en', from: 'predictor', to: 'prosody' },
  { role: 'asr', from: 'prosody', to: 'vocoder' },
  { role: 'F0', from: 'prosody', to: 'vocoder' },
  { role: 'N', from: 'prosody', to: 'vocoder' },
];

/**
 * Forwarded tensors must have the same shape on both sides (same values in another layout would
 * pass the length checks and scramble the data). One line per mismatch, naming both files.
 */
export function forwardingProblems(bindings: Partial<Record<GraphKind, GraphBinding>>): string[] {
  const problems: string[] = [];
  for (const f of FORWARDED) {
    const out = bindings[f.from]?.outputs.find((b) => b.role === f.role);
    const inp = bindings[f.to]?.inputs.find((b) => b.role === f.role);
    if (!out || !inp) continue;
    const same = out.shape.length === inp.shape.length && out.shape.every((d, i) => d === -1 || inp.shape[i] === -1 || d === inp.shape[i]);
    if (!same) {
      problems.push(
        `${GRAPH_FILES[f.to]}: its input ${f.role} is [${inp.shape.join(',')}] but ${GRAPH_FILES[f.from]} produces [${out.shape.join(',')}]; the two files come from different exports, so download the model again.`,
      );
    }
  }
  return problems;
}

/** "ids <- input_ids int32[1,128] (name), ..." for logs and the doctor report. */
export function describeBinding(binding: GraphBinding): string {
  const side = (bs: RoleBinding[]): string => bs.map((b) => `${b.role} <- ${b.tensor} ${formatSpec(b)} (${b.by})`).join(', ');
  const unused = binding.unusedOutputs.length ? `; unused outputs ${binding.unusedOutputs.join(', ')}` : '';
  return `inputs ${side(binding.inputs)}; outputs ${side(binding.outputs)}${unused}`;
}

/** The binding's tensor name for a role. */
export function tensorFor(binding: GraphBinding, side: 'inputs' | 'outputs', roleName: string): RoleBinding {
  const b = binding[side].find((x) => x.role === roleName);
  if (!b) throw AppError.of('INTERNAL', `(${binding.graph} has no ${side === 'inputs' ? 'input' : 'output'} role ${roleName})`);
  return b;
}
