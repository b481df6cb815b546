export * from './close-codes.js';
export * from './events.js';
export * from './pipeline-bridge.js';
export * from './shared-subscriptions.js';
export * from './socket-subscriber.js';
