import path from 'node:path';

/**
 * The project root, valid both from `src/` (ts under jest/tsx) and `dist/src/` (compiled):
 * data beside code (hooks/, terminology/, profiles/, plans/) is resolved from here.
 */
export const PROJECT_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

export const projectPath = (...parts: string[]): string => path.join(PROJECT_ROOT, ...parts);
