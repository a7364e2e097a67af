/**
 * The playground's static files, read once at registration: our own HTML/CSS/JS from public/playground
 * and the two browser libraries (marked, DOMPurify) from node_modules, so the page works offline and
 * never touches a CDN.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../paths';

export interface Asset {
  /** URL path under /playground/ */
  name: string;
  contentType: string;
  body: Buffer;
  /** strong validator, so browsers can revalidate cheaply */
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

function asset(name: string, file: string): Asset {
  const body = readFileSync(file);
  const contentType = TYPES[path.extname(file)];
  if (!contentType) throw new Error(`playground: no content type for ${file}`);
  return { name, contentType, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** Resolve a file of an installed package from the package's resolved entry point (exports-safe). */
function packageFile(pkg: string, fileBesideEntry: string): string {
  return path.join(path.dirname(require.resolve(pkg)), fileBesideEntry);
}

export interface PlaygroundAssets {
  page: Asset;
  /** everything else, by name (e.g. "app.js", "vendor/marked.esm.js") */
  files: Map<string, Asset>;
}

export function loadAssets(): PlaygroundAssets {
  const own = (name: string) => asset(name, projectPath('public', 'playground', name));
  const files = [
    own('app.js'),
    own('render.js'),
    own('style.css'),
    own('favicon.svg'),
    asset('vendor/marked.esm.js', packageFile('marked', 'marked.esm.js')),
    asset('vendor/purify.es.mjs', packageFile('dompurify', 'purify.es.mjs')),
  ];
  return { page: own('index.html'), files: new Map(files.map((f) => [f.name, f])) };
}
