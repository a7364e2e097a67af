/**
 * Which ingredients a formulary product contains, without a terminology server: read the RxNorm
 * normalized name the export already carries against the ingredient names the service knows
 * (terminology/drugs.json).
 *
 * RxNorm writes its clinical drugs (SCD) as "<ingredient> <strength> <unit> <dose form>", components joined
 * by " / " ("acetaminophen 300 MG / codeine phosphate 30 MG Oral Tablet"), a branded drug (SBD) as the same
 * name followed by "[Brand]", and a clinical drug group (SCDG) as "<ingredients> <dose form group>"
 * ("doxepin Topical Product"). The strength may name a salt of the ingredient ("codeine phosphate").
 * A component is read as a known ingredient only when nothing but salt words separate the ingredient name
 * from the strength, or (in a group name) from a dose form group; anything else stays unknown, and the
 * product is then matched by its code alone — never by a guess. Packs ("{21 (…) / 7 (…)} Pack") and branded
 * groups ("Percocet Pill") name no ingredients and are read the same way: unknown.
 *
 * Pure: the lexicon is built once at start-up; a name is read with a few map look-ups.
 */

export interface IngredientLexicon {
  /** lower-case generic ingredient name → ingredient RxCUI */
  byName: ReadonlyMap<string, string>;
  /** the most words any known name has */
  maxWords: number;
  /** RxNorm product code → its normalized name, for exports that send a code without a display */
  productNames: ReadonlyMap<string, string>;
}

/** What a name says about the product's ingredients. */
export interface NameReading {
  /** ingredient RxCUIs recognised, in name order, without duplicates */
  ingredients: string[];
  /** components that are not a known ingredient (as written, lower case) */
  unknown: string[];
}

/**
 * Salt and ester words RxNorm appends to an ingredient name in a precise-ingredient strength
 * (e.g. "oxycodone hydrochloride 5 MG"). Lexical, not clinical: they never change which ingredient it is.
 */
const SALT_WORDS = new Set([
  'acetate', 'besylate', 'bisulfate', 'bitartrate', 'bromide', 'calcium', 'carbonate', 'chloride', 'citrate',
  'dihydrate', 'dipropionate', 'disodium', 'fumarate', 'gluconate', 'hcl', 'hemihydrate', 'hydrobromide',
  'hydrochloride', 'hyclate', 'lactate', 'magnesium', 'maleate', 'malate', 'mesylate', 'monohydrate',
  'phosphate', 'potassium', 'propionate', 'sodium', 'succinate', 'sulfate', 'tartrate', 'trihydrate',
]);

/** RxNorm dose form groups (the tail of an SCDG name), lower case. */
const DOSE_FORM_GROUPS = new Set([
  'pill', 'oral product', 'oral liquid product', 'oral solid product', 'topical product', 'injectable product',
  'ophthalmic product', 'otic product', 'nasal product', 'inhalant product', 'rectal product', 'vaginal product',
  'transdermal product', 'mucosal product', 'dental product', 'buccal product', 'sublingual product',
  'urethral product', 'chewable product', 'disintegrating oral product', 'oral cream product',
]);

export function buildIngredientLexicon(drugs: ReadonlyArray<{ name: string; rxcui: string; products?: ReadonlyArray<{ rxcui: string; display: string }> }>): IngredientLexicon {
  const byName = new Map<string, string>();
  const productNames = new Map<string, string>();
  let maxWords = 1;
  for (const d of drugs) {
    const name = d.name.toLowerCase().trim();
    byName.set(name, d.rxcui);
    maxWords = Math.max(maxWords, name.split(/\s+/).length);
    for (const p of d.products ?? []) productNames.set(p.rxcui, p.display);
  }
  return { byName, maxWords, productNames };
}

/** Top-level " / " split (a pack's braces and parentheses are not split inside). */
function components(name: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') depth--;
    else if (depth === 0 && name.startsWith(' / ', i)) {
      out.push(name.slice(start, i));
      start = i + 3;
      i += 2;
    }
  }
  out.push(name.slice(start));
  return out.map((c) => c.trim()).filter(Boolean);
}

const isStrength = (word: string) => /^[0-9.]/.test(word);

function readComponent(component: string, last: boolean, lex: IngredientLexicon): string | undefined {
  const words = component.toLowerCase().split(/\s+/).filter(Boolean);
  for (let n = Math.min(lex.maxWords, words.length); n >= 1; n--) {
    const rxcui = lex.byName.get(words.slice(0, n).join(' '));
    if (!rxcui) continue;
    let i = n;
    while (i < words.length && SALT_WORDS.has(words[i]!)) i++;
    if (i === words.length) return rxcui;
    if (isStrength(words[i]!)) return rxcui;
    if (last && DOSE_FORM_GROUPS.has(words.slice(i).join(' '))) return rxcui;
    return undefined;
  }
  return undefined;
}

/** Read an RxNorm normalized name; undefined when it is not one this reader understands (a pack). */
export function readRxNormName(name: string | undefined, lex: IngredientLexicon): NameReading | undefined {
  if (!name) return undefined;
  const text = name.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
  if (!text || text.startsWith('{')) return undefined;
  const parts = components(text);
  const ingredients: string[] = [];
  const unknown: string[] = [];
  parts.forEach((c, i) => {
    const rxcui = readComponent(c, i === parts.length - 1, lex);
    if (rxcui === undefined) unknown.push(c.toLowerCase());
    else if (!ingredients.includes(rxcui)) ingredients.push(rxcui);
  });
  return { ingredients, unknown };
}

/** The key a set of ingredients is listed under: sorted RxCUIs joined by "+" ("161+2670"). */
export const ingredientKey = (rxcuis: readonly string[]): string => [...rxcuis].sort().join('+');
