/** The generators' one output step: write each generated file, or with --check report those that differ. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes (or, when `check`, compares) each file under `dir`; returns true when some file is stale. */
export function writeOrCheck(dir: string, files: Record<string, string>, check: boolean): boolean {
  let stale = false;
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    if (check) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        /* missing counts as stale */
      }
      if (current !== text) {
        stale = true;
        console.error(`stale: terminology/${name}`);
      }
    } else {
      writeFileSync(path, text);
      console.log(`wrote terminology/${name}`);
    }
  }
  return stale;
}
