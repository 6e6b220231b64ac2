/** The built-in voice, always there. */
export const DEFAULT_VOICE = 'espeak:gmw/en-US';
/** The default when Kokoro's model is installed. */
export const DEFAULT_KOKORO_VOICE = 'kokoro:af_heart';
