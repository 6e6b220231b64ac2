// The package ships no types; this declares the part of its Emscripten API the engine uses.
declare module '@echogarden/espeak-ng-emscripten' {
  export interface EspeakEvent {
    type: 'sentence' | 'word' | 'phoneme' | 'end' | 'mark' | 'play' | 'msg_terminated' | 'list_terminated' | 'samplerate';
    /** Milliseconds from the start of the synthesis call. */
    audio_position: number;
    /** 1-based index in Unicode code points. */
    text_position: number;
    /** Length in code points. */
    word_length: number;
    id?: string | number;
  }
  export interface EspeakVoiceEntry {
    identifier: string;
    name: string;
    languages: { priority: number; name: string }[];
  }
  export interface ESpeakNGWorker {
    set_voice(voice: string): void;
    set_rate(rate: number): void;
    set_pitch(pitch: number): void;
    readonly samplerate: number;
    list_voices(): EspeakVoiceEntry[];
    synthesize(text: string, callback: (samples: Int16Array | null, events: EspeakEvent[]) => void): void;
  }
  export interface EspeakModule {
    eSpeakNGWorker: new () => ESpeakNGWorker;
  }
  const init: () => Promise<EspeakModule>;
  export default init;
}
