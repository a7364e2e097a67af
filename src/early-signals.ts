/**
 * Imported first by src/server.ts, before any other module loads: a SIGTERM / SIGINT that arrives while
 * the service is still loading (hundreds of milliseconds of module loading, knowledge tables, the store)
 * is held here instead of killing the process with the default action, and the orderly shutdown runs as
 * soon as the server installs its handler (`takeEarlySignal`). Node applies the default action only to
 * signals nobody listens to, so listening from the first line is what makes every stop end with exit 0.
 */
let early: NodeJS.Signals | undefined;
const hold = (signal: NodeJS.Signals) => {
  early ??= signal;
};
const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
for (const s of SIGNALS) process.on(s, hold);

/** stop holding signals; @returns the one that arrived meanwhile, if any */
export function takeEarlySignal(): NodeJS.Signals | undefined {
  for (const s of SIGNALS) process.removeListener(s, hold);
  return early;
}
