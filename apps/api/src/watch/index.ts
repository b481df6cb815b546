export * from './events.js';
export { FINGERPRINT_BLOCK_BYTES, fingerprintFile } from './fingerprint.js';
export { classifyRunFile, isScannedFolder, MINKNOW_PASS_FOLDER, type ReadsRole, type RunFileRole } from './layout.js';
export type { TakenStamp } from './run-folder-state.js';
export { RunFolderWatcher, type WatchRunFolderOptions } from './run-folder-watcher.js';
