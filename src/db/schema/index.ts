export * from './accounts.ts';
export * from './market.ts';
export * from './factors.ts';
export * from './analytics.ts';
export * from './operations.ts';
export * from './batch-chunks.ts';
export * from './enums.ts';
