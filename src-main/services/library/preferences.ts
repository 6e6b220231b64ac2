import { AppError } from '../../../src-shared/errors/catalogue';
import { MAX_SPEED, MIN_SPEED } from '../../../src-shared/speech/types';
import type { EngineId } from '../../../src-shared/speech/types';
import type { SqliteDatabase } from './database';

export interface VoiceSettings {
  /** A voice id ("kokoro:af_heart", "espeak:gmw/en-US"), a blend formula, or "blend:<name>". */
  voice: string;
  speed: number;
  engine: EngineId;
}

export type VoiceOverride = Partial<VoiceSettings>;

export interface EffectiveVoice extends VoiceSettings {
  /** Which fields came from the document's override rather than the defaults. */
  overridden: Array<keyof VoiceSettings>;
}

export interface BlendComponent {
  voice: string;
  /** Relative: the engine normalises weights to sum to 1. */
  weight: number;
}

export interface VoiceBlend {
  name: string;
  components: BlendComponent[];
  /** Canonical formula, e.g. "af_heart*0.6+bf_emma*0.4". */
  spec: string;
  createdAt: number;
  updatedAt: number;
}

export const BLEND_PREFIX = 'blend:';
const ENGINES: readonly EngineId[] = ['espeak', 'kokoro'];
const VOICE_NAME = /^[A-Za-z0-9_.:/-]+$/;
const COMPONENT = /^\s*([A-Za-z0-9_.:/-]+)\s*(?:\*\s*(\d+(?:\.\d+)?|\.\d+)\s*)?$/;
const MAX_BLEND_VOICES = 8;

/** "af_heart*0.6+bf_emma*0.4" -> components; a voice without a weight weighs 1. */
export function parseBlend(spec: string): BlendComponent[] {
  const invalid = (why: string): never => {
    throw AppError.of('INVALID_VOICE_BLEND', `(${why})`, { spec });
  };
  if (typeof spec !== 'string' || spec.trim() === '') invalid('it is empty');
  const parts = spec.split('+');
  if (parts.length > MAX_BLEND_VOICES) invalid(`at most ${MAX_BLEND_VOICES} voices`);
  const seen = new Set<string>();
  return parts.map((part) => {
    const m = COMPONENT.exec(part);
    if (!m?.[1]) return invalid(`"${part.trim()}" is not voice*weight`);
    const voice = m[1];
    const weight = m[2] === undefined ? 1 : Number(m[2]);
    if (!(weight > 0) || !Number.isFinite(weight)) invalid(`the weight of ${voice} must be above 0`);
    if (seen.has(voice)) invalid(`${voice} appears twice`);
    seen.add(voice);
    return { voice, weight };
  });
}

export function formatBlend(components: readonly BlendComponent[]): string {
  return components.map((c) => `${c.voice}*${Number(c.weight.toFixed(6))}`).join('+');
}

function isFormula(voice: string): boolean {
  return voice.includes('+') || voice.includes('*');
}

/** Defaults, per-document overrides, named blends and starred voices. */
export class VoicePreferences {
  private readonly now: () => number;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly fallback: VoiceSettings,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  getDefaults(): VoiceSettings {
    const raw = this.db.run((db) => db.prepare(`SELECT value FROM settings WHERE key = 'voice.defaults'`).pluck().get() as string | undefined);
    const stored = raw === undefined ? {} : (JSON.parse(raw) as VoiceOverride);
    return { ...this.fallback, ...stored };
  }

  setDefaults(patch: VoiceOverride): VoiceSettings {
    this.validate(patch);
    const next = { ...this.getDefaults(), ...definedOnly(patch) };
    this.db.write((db) =>
      db
        .prepare(`INSERT INTO settings (key, value) VALUES ('voice.defaults', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
        .run(JSON.stringify(next)),
    );
    return next;
  }

  getOverride(documentId: number): VoiceOverride {
    const row = this.db.run(
      (db) => db.prepare('SELECT voice, speed, engine FROM document_voice WHERE document_id = ?').get(documentId) as { voice: string | null; speed: number | null; engine: EngineId | null } | undefined,
    );
    if (!row) return {};
    const out: VoiceOverride = {};
    if (row.voice !== null) out.voice = row.voice;
    if (row.speed !== null) out.speed = row.speed;
    if (row.engine !== null) out.engine = row.engine;
    return out;
  }

  /** Replaces the document's override; an empty object clears it. */
  setOverride(documentId: number, override: VoiceOverride): void {
    this.validate(override);
    const o = definedOnly(override);
    this.db.write((db) => {
      if (db.prepare('SELECT 1 FROM documents WHERE id = ?').get(documentId) === undefined) {
        throw AppError.of('DOCUMENT_NOT_FOUND', `(id ${documentId})`, { documentId });
      }
      if (Object.keys(o).length === 0) {
        db.prepare('DELETE FROM document_voice WHERE document_id = ?').run(documentId);
        return;
      }
      db.prepare(
        `INSERT INTO document_voice (document_id, voice, speed, engine) VALUES (?, ?, ?, ?)
         ON CONFLICT (document_id) DO UPDATE SET voice = excluded.voice, speed = excluded.speed, engine = excluded.engine`,
      ).run(documentId, o.voice ?? null, o.speed ?? null, o.engine ?? null);
    });
  }

  /** The settings to read a document with: its override on top of the defaults. */
  effective(documentId?: number): EffectiveVoice {
    const defaults = this.getDefaults();
    const override = documentId === undefined ? {} : this.getOverride(documentId);
    return { ...defaults, ...override, overridden: Object.keys(override) as Array<keyof VoiceSettings> };
  }

  saveBlend(name: string, spec: string | readonly BlendComponent[]): VoiceBlend {
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (trimmed === '' || trimmed.length > 60) throw AppError.of('INVALID_VOICE_BLEND', '(the name must be 1 to 60 characters)');
    const components = typeof spec === 'string' ? parseBlend(spec) : parseBlend(formatBlend(spec));
    const canonical = formatBlend(components);
    // Rounding can make the stored form unreadable ("*0.0000001" -> "*0", 1e21 -> "1e+21").
    parseBlend(canonical);
    const now = this.now();
    this.db.write((db) =>
      db
        .prepare(
          `INSERT INTO voice_blends (name, spec, created_at, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at`,
        )
        .run(trimmed, canonical, now, now),
    );
    const saved = this.getBlend(trimmed);
    if (!saved) throw AppError.of('INTERNAL', '(blend not saved)');
    return saved;
  }

  getBlend(name: string): VoiceBlend | undefined {
    const row = this.db.run(
      (db) => db.prepare('SELECT name, spec, created_at, updated_at FROM voice_blends WHERE name = ?').get(name.trim()) as BlendRow | undefined,
    );
    return row && rowToBlend(row);
  }

  listBlends(): VoiceBlend[] {
    const rows = this.db.run((db) => db.prepare('SELECT name, spec, created_at, updated_at FROM voice_blends ORDER BY name COLLATE NOCASE').all() as BlendRow[]);
    const blends: VoiceBlend[] = [];
    for (const row of rows) {
      try {
        blends.push(rowToBlend(row));
      } catch {
        // A row another version stored unreadably: leave it out rather than hide every blend.
      }
    }
    return blends;
  }

  deleteBlend(name: string): boolean {
    return this.db.write((db) => db.prepare('DELETE FROM voice_blends WHERE name = ?').run(name.trim()).changes > 0);
  }

  /** What to hand the engine (and the cache key): "blend:Warm narrator" becomes its formula. */
  resolveVoice(voice: string): string {
    if (!voice.startsWith(BLEND_PREFIX)) return voice;
    const blend = this.getBlend(voice.slice(BLEND_PREFIX.length));
    if (!blend) throw AppError.of('INVALID_VOICE_BLEND', `(there is no blend named "${voice.slice(BLEND_PREFIX.length)}")`);
    return blend.spec;
  }

  star(voice: string): void {
    if (!VOICE_NAME.test(voice) && !voice.startsWith(BLEND_PREFIX)) throw AppError.of('UNKNOWN_VOICE', `(${voice})`);
    this.db.write((db) => db.prepare('INSERT OR IGNORE INTO starred_voices (voice, starred_at) VALUES (?, ?)').run(voice, this.now()));
  }

  unstar(voice: string): void {
    this.db.write((db) => db.prepare('DELETE FROM starred_voices WHERE voice = ?').run(voice));
  }

  isStarred(voice: string): boolean {
    return this.db.run((db) => db.prepare('SELECT 1 FROM starred_voices WHERE voice = ?').get(voice) !== undefined);
  }

  /** Starred voices, first starred first. */
  starredVoices(): string[] {
    return this.db.run((db) => db.prepare('SELECT voice FROM starred_voices ORDER BY starred_at, voice').pluck().all() as string[]);
  }

  private validate(o: VoiceOverride): void {
    if (o.speed !== undefined && !(typeof o.speed === 'number' && o.speed >= MIN_SPEED && o.speed <= MAX_SPEED)) {
      throw AppError.of('INVALID_SPEED', `(${String(o.speed)})`);
    }
    if (o.engine !== undefined && !ENGINES.includes(o.engine)) throw AppError.of('INVALID_REQUEST', `(unknown engine "${String(o.engine)}")`);
    if (o.voice !== undefined) {
      if (typeof o.voice !== 'string' || o.voice.trim() === '') throw AppError.of('UNKNOWN_VOICE', '(no voice given)');
      if (o.voice.startsWith(BLEND_PREFIX)) this.resolveVoice(o.voice);
      else if (isFormula(o.voice)) parseBlend(o.voice);
      else if (!VOICE_NAME.test(o.voice)) throw AppError.of('UNKNOWN_VOICE', `(${o.voice})`);
    }
  }
}

interface BlendRow {
  name: string;
  spec: string;
  created_at: number;
  updated_at: number;
}

function rowToBlend(row: BlendRow): VoiceBlend {
  return { name: row.name, components: parseBlend(row.spec), spec: row.spec, createdAt: row.created_at, updatedAt: row.updated_at };
}

function definedOnly(o: VoiceOverride): VoiceOverride {
  const out: VoiceOverride = {};
  if (o.voice !== undefined) out.voice = o.voice;
  if (o.speed !== undefined) out.speed = o.speed;
  if (o.engine !== undefined) out.engine = o.engine;
  return out;
}
