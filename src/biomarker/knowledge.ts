/** Index the compiled companion-diagnostic table once at start-up (pure: the file is read by src/loaders). */
import type { MedicationRequest } from 'fhir/r4';
import { RXNORM } from '../fhir/systems';
import type { ConditionSet, OncologyDrug, OncologyTableFile } from './types';

export interface OncologyKnowledge {
  version: string;
  table: OncologyTableFile;
  byRxcui: Map<string, OncologyDrug>;
  /** whole-word name patterns (generic and brand), longest first so "ado-trastuzumab emtansine" beats "trastuzumab" */
  byName: Array<{ pattern: RegExp; drug: OncologyDrug }>;
  conditions: Map<string, ConditionSet>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function indexOncologyKnowledge(table: OncologyTableFile): OncologyKnowledge {
  const byRxcui = new Map<string, OncologyDrug>();
  const names: Array<{ name: string; drug: OncologyDrug }> = [];
  for (const d of table.drugs) {
    if (d.rxcui) byRxcui.set(d.rxcui, d);
    for (const p of d.products) byRxcui.set(p.rxcui, d);
    for (const n of [d.name, ...d.brands]) names.push({ name: n, drug: d });
  }
  names.sort((a, b) => b.name.length - a.name.length);
  return {
    version: table.version,
    table,
    byRxcui,
    byName: names.map(({ name, drug }) => ({ pattern: new RegExp(`(^|[^a-z-])${escape(name.toLowerCase())}($|[^a-z-])`), drug })),
    conditions: new Map(table.conditions.map((c) => [c.id, c])),
  };
}

/** The table drug a draft order names: by a listed RxCUI first, else by generic or brand name in its text. */
export function identifyOncologyDrug(order: MedicationRequest, kb: OncologyKnowledge): OncologyDrug | undefined {
  const cc = order.medicationCodeableConcept;
  for (const c of cc?.coding ?? []) {
    if (c.code && (!c.system || c.system === RXNORM)) {
      const d = kb.byRxcui.get(c.code);
      if (d) return d;
    }
  }
  const texts = [cc?.text, ...(cc?.coding ?? []).map((c) => c.display), order.medicationReference?.display].filter((t): t is string => !!t);
  for (const t of texts) {
    const lower = t.toLowerCase();
    const hit = kb.byName.find((n) => n.pattern.test(lower));
    if (hit) return hit.drug;
  }
  return undefined;
}
