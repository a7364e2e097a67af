/** What the store makes of a database error: something safe to log, and whether to blame the data. */

/** safe for logs: error class/code, never a statement parameter */
export const describeError = (err: unknown): string => {
  // duck-typed: errors from Node's core (sockets) may come from another realm than `Error` here
  if (!err || typeof err !== 'object') return 'unknown error';
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
  return `${code}: ${typeof e.message === 'string' ? e.message.slice(0, 200) : ''}`;
};

export const errorCode = (err: unknown): string | undefined => {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
};

/**
 * SQLSTATE classes that blame the data, not the database: 22 data exception (bad text, time, JSON),
 * 23 integrity constraint, 54 program limit exceeded (a value too large). Writing the same record again
 * fails the same way; anything else (connection, timeout, lock, missing table) may pass on a retry.
 */
export const isDataError = (err: unknown): boolean => /^(22|23|54)/.test(errorCode(err) ?? '');
