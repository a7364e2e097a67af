/**
 * Identify the drug an EHR is ordering: RxNorm codes as sent (ingredient, clinical or branded drug) first,
 * then generic/brand names in the display text. Anything else is "unrecognised" — never a guess.
 */
import type { CodeableConcept, MedicationDispense, MedicationRequest, MedicationStatement } from 'fhir/r4';
import { RXNORM } from '../fhir/systems';
import type { DrugEntry, DrugKnowledge } from './drug-knowledge';
import type { DrugRef } from './types';

function ref(entry: DrugEntry, display: string, rxcui: string | undefined): DrugRef {
  // two literals rather than a conditional spread: V8 clones spread sources through a slow generic path
  return rxcui
    ? { rxcui, display, cpicDrug: entry.name, ingredientRxcui: entry.rxcui, drugClass: entry.class, recognised: true }
    : { display, cpicDrug: entry.name, ingredientRxcui: entry.rxcui, drugClass: entry.class, recognised: true };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Characters that continue a word in a drug name ("-" included: "s-warfarin" is not "warfarin"). */
const WORD_RUN = /[a-z0-9-]+/g;

interface NameMatcher {
  name: string;
  entry: DrugEntry;
  /** whole-word test, compiled once */
  re: RegExp;
}

/**
 * Names indexed by their first word. A whole-word occurrence of a name starts where a word of the text
 * starts and its first word is that whole text word, so only names whose first word occurs in the text
 * need the exact test. Names not starting with a word character (none today) are always tested.
 */
export interface NameIndex {
  byFirstWord: Map<string, NameMatcher[]>;
  always: NameMatcher[];
}

/** Built once with the drug knowledge (src/pgx/drug-knowledge.ts), from its names longest first. */
export function buildNameIndex(namesLongestFirst: string[], byName: Map<string, DrugEntry>): NameIndex {
  const index: NameIndex = { byFirstWord: new Map(), always: [] };
  for (const name of namesLongestFirst) {
    const matcher: NameMatcher = {
      name,
      entry: byName.get(name) as DrugEntry,
      re: new RegExp(`(^|[^a-z0-9-])${escapeRegExp(name)}($|[^a-z0-9-])`),
    };
    const first = /^[a-z0-9-]+/.exec(name)?.[0];
    if (!first) index.always.push(matcher);
    else {
      const list = index.byFirstWord.get(first) ?? [];
      list.push(matcher);
      index.byFirstWord.set(first, list);
    }
  }
  return index;
}

/**
 * Whole-word, case-insensitive name match. Several different drugs named in one text (a combination product
 * such as "acetaminophen / codeine") resolve to the one with CPIC guidance; two PGx drugs → ambiguous → none.
 */
function drugByText(text: string, kb: DrugKnowledge): DrugEntry | undefined {
  const memo = kb.textMatches;
  const known = memo.get(text);
  if (known !== undefined) return known ?? undefined;
  const entry = matchDrugText(text, kb);
  // EHRs send the same few thousand product names over and over; a text is a drug name, not patient data
  if (memo.size >= TEXT_MEMO_LIMIT) memo.clear();
  memo.set(text, entry ?? null);
  return entry;
}

/** bounded so odd free text cannot grow the knowledge's name → drug memo forever */
const TEXT_MEMO_LIMIT = 10_000;

function matchDrugText(text: string, kb: DrugKnowledge): DrugEntry | undefined {
  const lower = text.toLowerCase();
  const index = kb.nameIndex;
  const found = new Map<string, DrugEntry>();
  const test = (m: NameMatcher) => {
    if (!found.has(m.entry.name) && m.re.test(lower)) found.set(m.entry.name, m.entry);
  };
  for (const word of new Set(lower.match(WORD_RUN) ?? [])) for (const m of index.byFirstWord.get(word) ?? []) test(m);
  for (const m of index.always) test(m);
  const all = [...found.values()];
  if (all.length <= 1) return all[0];
  const withGuidance = all.filter((d) => kb.recommendations.has(d.name));
  return withGuidance.length === 1 ? withGuidance[0] : undefined;
}

export function identifyDrug(concept: CodeableConcept | undefined, kb: DrugKnowledge): DrugRef {
  const codings = concept?.coding ?? [];
  const display = concept?.text ?? codings.find((c) => c.display)?.display ?? codings.find((c) => c.code)?.code ?? '';
  const rxCodings = codings.filter((c) => c.system === RXNORM && c.code);
  for (const c of rxCodings) {
    const entry = kb.byRxcui.get(c.code as string);
    if (entry) return ref(entry, display || c.display || entry.name, c.code);
  }
  const sentRxcui = rxCodings[0]?.code;
  for (const text of [concept?.text, ...codings.map((c) => c.display)]) {
    if (!text) continue;
    const entry = drugByText(text, kb);
    if (entry) return ref(entry, display, sentRxcui);
  }
  return { ...(sentRxcui ? { rxcui: sentRxcui } : {}), display: display || 'unknown medication', recognised: false };
}

export function identifyMedication(
  resource: MedicationRequest | MedicationStatement | MedicationDispense,
  kb: DrugKnowledge,
): DrugRef {
  if (resource.medicationCodeableConcept) return identifyDrug(resource.medicationCodeableConcept, kb);
  // A contained/referenced Medication is not resolved here; its display is the only text we can use.
  const display = resource.medicationReference?.display;
  return identifyDrug(display ? { text: display } : undefined, kb);
}

export function drugByIngredient(ingredientRxcui: string, kb: DrugKnowledge): DrugRef | undefined {
  const entry = kb.byIngredient.get(ingredientRxcui);
  return entry ? ref(entry, entry.name, ingredientRxcui) : undefined;
}
