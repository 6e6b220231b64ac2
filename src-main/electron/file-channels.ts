/**
 * IPC channels between the preload and main only. They are not in the contract, so the page's
 * `window.api.invoke` cannot reach them (the preload passes on contract channels alone).
 */
/** The preload asks main for a handle to a file the user dropped or picked: its path on disk. */
export const GRANT_DROPPED_FILE = 'file:grant-dropped';
