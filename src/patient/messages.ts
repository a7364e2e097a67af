/**
 * The patient texts, one JSON file per language in messages/patient (<code>.json), read once at start-up.
 * Adding a language is adding a file: no code. A language file may leave texts out; those fall back to
 * English, and `missingKeys` tells a translator which.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../paths';

export interface VerdictText {
  meaning: string;
  change: string;
}

export interface PatientMessages {
  language: string;
  name: string;
  title: string;
  headings: { genes: string; meaning: string; change: string; privacy: string; questions: string };
  genesIntro: string;
  geneLine: string;
  /** for a test of the cancer: its genes, not the inherited ones */
  tumourGenesIntro: string;
  tumourGeneLine: string;
  genes: Record<string, string>;
  verdicts: Record<string, VerdictText>;
  kinds: Record<string, VerdictText>;
  unnamedDrug: string;
  privacy: string;
  questions: string;
}

export const MESSAGES_DIR = projectPath('messages', 'patient');
export const DEFAULT_LANGUAGE = 'en';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** `over` laid over `base`, key by key (objects merged, strings replaced) */
function overlay(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(base[k]) ? overlay(base[k] as Json, v) : v;
  return out;
}

/** dotted paths of every text in `base` that `other` lacks */
export function missingKeys(base: Json, other: Json, prefix = ''): string[] {
  return Object.entries(base).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    if (k === 'note') return [];
    if (isObject(v)) return isObject(other[k]) ? missingKeys(v, other[k] as Json, p) : [p];
    return typeof other[k] === 'string' ? [] : [p];
  });
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/**
 * Texts of `other` whose placeholders differ from the same text in `base` (a renamed or translated
 * {placeholder} would be shown to the patient as it is; a dropped one loses the drug's name).
 * @returns "dotted.path: {expected} ≠ {found}" per text
 */
export function placeholderMismatches(base: Json, other: Json, prefix = ''): string[] {
  return Object.entries(other).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    const b = base[k];
    if (k === 'note') return [];
    if (isObject(v)) return isObject(b) ? placeholderMismatches(b, v, p) : [];
    if (typeof v !== 'string' || typeof b !== 'string') return [];
    const want = placeholders(b).join(',');
    const got = placeholders(v).join(',');
    return want === got ? [] : [`${p}: {${want}} ≠ {${got}}`];
  });
}

export interface MessageCatalogue {
  languages: ReadonlyMap<string, PatientMessages>;
  /** raw files, for the translators' completeness check */
  raw: ReadonlyMap<string, Json>;
}

export function loadPatientMessages(dir: string = MESSAGES_DIR): MessageCatalogue {
  const raw = new Map<string, Json>();
  for (const f of readdirSync(dir).filter((n) => /^[a-z]{2,3}(-[A-Za-z0-9]+)?\.json$/.test(n)).sort()) {
    raw.set(f.replace(/\.json$/, ''), JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Json);
  }
  const base = raw.get(DEFAULT_LANGUAGE);
  if (!base) throw new Error(`${dir}: ${DEFAULT_LANGUAGE}.json is required`);
  const languages = new Map<string, PatientMessages>();
  for (const [code, m] of raw) languages.set(code, overlay(base, m) as unknown as PatientMessages);
  return { languages, raw };
}

/** the best language for `lang` (exact, then primary subtag), else English */
export function pickLanguage(cat: MessageCatalogue, ...wanted: Array<string | undefined>): PatientMessages {
  for (const w of wanted) {
    if (!w) continue;
    const code = w.trim().toLowerCase();
    const hit = cat.languages.get(code) ?? cat.languages.get(code.split('-')[0]);
    if (hit) return hit;
  }
  return cat.languages.get(DEFAULT_LANGUAGE)!;
}

/** first language tags of an Accept-Language header, by q */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((x) => x.tag);
}
