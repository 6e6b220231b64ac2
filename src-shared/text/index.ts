// Text front-end: segmentation and normalisation (pure TypeScript, browser-safe).
export * from './segment';
export * from './normalize/index';
