/**
 * One schema per request channel's params: the contract's param types are inferred from these,
 * and the services check every request against them once, in `dispatch`, before a handler runs.
 * Only main imports this module at run time; the renderer and the preload import its types.
 */
import { z } from 'zod';
import type { RequestChannel } from './contract';
import { EXPORT_FORMATS, SUBTITLE_FORMATS } from '../export/types';
import { HELPER_ACTIONS } from '../screen-helper/types';
import { KOKORO_PRECISIONS } from './engine-config';
import { COLUMN_WIDTH, FONT_SIZE, HIGHLIGHT_COLOURS, LINE_SPACING, READING_FONTS, THEMES } from '../view-settings';

const id = z.number().int().nonnegative();
const sentenceIndex = z.number().int().nonnegative();
const speed = z.number().finite();
const voiceId = z.string().min(1).max(400);

/** What `document:open` takes, said when it gets anything else (a path above all). */
const OPEN_FORMS = 'paths are not accepted; give a handle from Open… or a drop, a library documentId, or the bytes of a file';

/** A request that takes no params: `null` (the preload and the bridge send it as such). */
const none = z.null().optional();

export const PARAM_SCHEMAS = {
  /** Registers pasted text for reading; the answer is its id and its sentence table. */
  // The length is checked by the service, which says TEXT_TOO_LARGE with the limit.
  // `sample`: a preview or a word to hear, held beside the pasted text rather than in its place.
  'text:set': z.object({ text: z.string(), sample: z.boolean().optional() }),
  'speech:speak': z.object({
    /** A text registered by `text:set` or `document:open`. */
    textId: z.string().min(1).max(100),
    /** Start reading at this sentence of the text's sentence table. */
    fromSentence: sentenceIndex.optional(),
    /** A voice id from `voices:list`; the default voice when omitted. */
    voice: voiceId.optional(),
    speed: speed.optional(),
    /** False: this reading's audio is neither taken from nor put into the audio cache (the helper's privacy setting). */
    cache: z.boolean().optional(),
  }),
  'speech:stop': z.object({ session: z.string().max(100).optional() }),
  'voices:list': none,
  'voices:blend': z.object({ name: z.string().max(200), formula: z.string().max(400) }),
  'voices:blend-delete': z.object({ id: voiceId }),
  'lexicon:list': z.object({ query: z.string().max(200).optional() }).nullable(),
  /** A word (or phrase) and how to say it; `id`: the entry to change. Checked by the lexicon, which names what is wrong. */
  'lexicon:set': z.object({
    id: id.optional(),
    word: z.string().max(1000),
    kind: z.enum(['phonemes', 'replacement']),
    value: z.string().max(2000),
    lang: z.enum(['en-us', 'en-gb', 'all']).optional(),
  }),
  'lexicon:delete': z.object({ id }),
  // The size of a file's text: MAX_IMPORT_ENTRIES entries of long values fit well within it.
  'lexicon:import': z.object({ text: z.string().max(20_000_000), format: z.enum(['json', 'tsv']), replaceAll: z.boolean().optional() }),
  'lexicon:export': z.object({ format: z.enum(['json', 'tsv']) }),
  /**
   * A document to open, never by a path the renderer names: a handle main issued for a file the
   * user chose (the file dialog, a drop), a library document (main knows its file), or a file's
   * bytes (browser mode: a file input or a drop gives the page a File, not a path).
   */
  'document:open': z.union(
    [
      z.strictObject({ handle: z.string().min(1).max(100) }, { error: OPEN_FORMS }),
      z.strictObject({ documentId: id }, { error: OPEN_FORMS }),
      z.strictObject({ name: z.string().max(1000).optional(), bytes: z.instanceof(Uint8Array) }, { error: OPEN_FORMS }),
    ],
    { error: OPEN_FORMS },
  ),
  /** Shows the app's file dialog; a handle for the file chosen, or null when the user cancels. */
  'dialog:open': none,
  'document:cancel': none,
  'library:recent': none,
  'library:position': z.object({ documentId: id, chapterIndex: id, sentenceIndex: id, charOffset: id, flush: z.boolean().optional() }),
  'library:remove': z.object({ documentId: id }),
  'library:list': none,
  'library:cover': z.object({ documentId: id }),
  /** The pasted text (its `text:set` id) to keep, and a title for it (else its first words). */
  'library:keep': z.object({ textId: z.string().min(1).max(100), title: z.string().max(300).optional() }),
  'bookmarks:list': z.object({ documentId: id }),
  'bookmarks:add': z.object({ documentId: id, chapterIndex: id, sentenceIndex: id, charOffset: id, label: z.string().max(2000) }),
  'bookmarks:remove': z.object({ bookmarkId: id }),
  'prefs:get': z.object({ documentId: id.optional() }).nullable(),
  'prefs:set': z.object({
    voice: z.string().max(400).optional(),
    speed: speed.optional(),
    documentId: id.optional(),
    clearDocument: z.boolean().optional(),
    star: voiceId.optional(),
    unstar: voiceId.optional(),
  }),
  'app:info': none,
  'models:list': none,
  'models:download': none,
  /** `discard`: a cancel, which also removes the unfinished downloads (a pause keeps them). */
  'models:cancel': z.object({ discard: z.boolean().optional() }).nullable().optional(),
  /** Browser mode only: the folder's full path (the app shows its folder dialog instead). */
  'models:import': z.object({ folder: z.string().min(1).max(4096).optional() }).nullable().optional(),
  'models:verify': none,
  'models:doctor': none,
  'models:settings': none,
  'models:configure': z.strictObject({ precision: z.enum(KOKORO_PRECISIONS, { error: 'must be "exact" or "fast"' }) }),
  /** The save dialog for an export of a library document: a handle for the file the user named. */
  'export:target': z.object({ documentId: id, format: z.enum(EXPORT_FORMATS) }),
  /** Queues an export of a library document into the file behind `target` (from `export:target`). */
  'export:start': z.object({
    documentId: id,
    target: z.string().min(1).max(100),
    format: z.enum(EXPORT_FORMATS),
    chapters: z.array(id).max(10_000).optional(),
    subtitles: z.enum(SUBTITLE_FORMATS).optional(),
    wordTimings: z.boolean().optional(),
    mp3Layout: z.enum(['single', 'per-chapter']).optional(),
    voice: voiceId.optional(),
    speed: speed.optional(),
  }),
  'export:cancel': z.object({ jobId: id }),
  'export:list': none,
  /** Shows a finished export's file in the system's file manager. */
  'export:reveal': z.object({ jobId: id }),
  'view:settings': none,
  /** Any of the reading view's settings, each named with its allowed values when wrong. */
  'view:configure': z.strictObject({
    font: z.enum(READING_FONTS).optional(),
    fontSize: z.number().min(FONT_SIZE.min).max(FONT_SIZE.max).optional(),
    lineSpacing: z.number().min(LINE_SPACING.min).max(LINE_SPACING.max).optional(),
    columnWidth: z.number().min(COLUMN_WIDTH.min).max(COLUMN_WIDTH.max).optional(),
    theme: z.enum(THEMES).optional(),
    highlightSentence: z.boolean().optional(),
    highlightWord: z.boolean().optional(),
    highlightColour: z.enum(HIGHLIGHT_COLOURS).optional(),
    reduceMotion: z.boolean().optional(),
    focusMode: z.boolean().optional(),
    singleKeyShortcuts: z.boolean().optional(),
  }),
  'helper:state': none,
  /** Any of the helper's settings; an accelerator is checked when it is registered, not here. */
  'helper:configure': z.strictObject({
    enabled: z.boolean().optional(),
    shortcuts: z.partialRecord(z.enum(HELPER_ACTIONS), z.string().max(100)).optional(),
    keepInTray: z.boolean().optional(),
    clipboardWatch: z.boolean().optional(),
    cacheAudio: z.boolean().optional(),
  }),
  'helper:attach': none,
  'helper:read-now': z.object({ source: z.enum(['selection', 'clipboard']) }),
  'helper:open-in-reader': z.object({ text: z.string(), fromSentence: sentenceIndex }),
  'helper:hide': none,
  'helper:cache-clear': none,
} as const satisfies Record<RequestChannel, z.ZodType>;

export type ParamSchemas = typeof PARAM_SCHEMAS;

/** The params of a channel as its handler receives them (after the schema's check). */
export type ParamsOfSchema<C extends keyof ParamSchemas> = z.output<ParamSchemas[C]>;
