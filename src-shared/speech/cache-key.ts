/** What determines a chunk's audio, and so its audio-cache key (hashed by the audio cache). */
export interface CacheKeyInput {
  /** "kokoro", "espeak". */
  engine: string;
  /** Changes whenever the model file changes (its hash or manifest version). */
  modelVersion: string;
  /** The resolved voice: an id or a blend formula (not "blend:<name>", which can change). */
  voice: string;
  speed: number;
  /** The chunk's phoneme token ids, as fed to the model. */
  ids: ArrayLike<number> | ArrayLike<bigint>;
}
