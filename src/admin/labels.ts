import { readFileSync } from 'node:fs';
import type { DecisionKnowledge } from '../decision/decide';
import type { ValueAssumptions } from '../benefit/plan-catalogue';
import { projectPath } from '../paths';
import type { PlanLookup } from './value';

/**
 * Display names for the codes the reports group by, so an analyst reads "Black or African American",
 * "CYP2C19 (HGNC:2621) – clopidogrel (Plavix)" and "Commercial Gold: clopidogrel, tier 1" instead of
 * raw codes. Built once at start-up from the terminology and the loaded plan catalogue; lookups are pure.
 * A code without a known name is shown as itself, never guessed.
 */
export interface Labels {
  race(code: string): string;
  ethnicity(code: string): string;
  sex(code: string): string;
  ageBand(code: string): string;
  cardKind(code: string): string;
  /** "GENE:drug" */
  pair(code: string): string;
  drug(name: string): string;
  gene(symbol: string): string;
  planRule(ruleId: string): string;
}

interface OmbFile {
  race: Record<string, string>;
  ethnicity: Record<string, string>;
  local: Record<string, string>;
}

/** The service's own card kinds (src/decision/order-card.ts `cardKind`), in words. */
export const CARD_KIND_DISPLAY: Readonly<Record<string, string>> = {
  'pgx-recommendation': 'Pharmacogenomic recommendation',
  'pgx-missing-test': 'Pharmacogenomic test missing',
  'pgx-indeterminate': 'Pharmacogenomic result indeterminate',
  'unrecognised-drug': 'Drug not recognised',
  'step-exemption': 'Step-therapy exemption',
  'pa-preview': 'Prior-authorization preview',
  'formulary-alternative': 'Formulary alternative',
  coverage: 'Coverage information',
  'data-gap': 'Data missing',
  'assessment-failed': 'Check could not be completed',
  'oncology-biomarker-confirmed': 'Companion diagnostic confirmed',
  'oncology-biomarker-contrary': 'Biomarker contrary to the indication',
  'oncology-biomarker-missing': 'Companion diagnostic result missing',
  'oncology-biomarker-indeterminate': 'Biomarker status indeterminate',
  'oncology-indication-not-listed': 'Cancer not among the drug\'s biomarker indications',
  'oncology-no-diagnosis': 'No cancer diagnosis coded',
};

export const OMB_TERMINOLOGY_FILE = projectPath('terminology', 'omb-race-ethnicity.json');

export function buildLabels(kb?: DecisionKnowledge, ombFile: string = OMB_TERMINOLOGY_FILE): Labels {
  const omb = JSON.parse(readFileSync(ombFile, 'utf8')) as OmbFile;
  const drugs = new Map<string, string>();
  for (const d of kb?.pgx.drugs.drugs ?? []) {
    const brands = d.names.filter((n) => /^[A-Z]/.test(n));
    drugs.set(d.name, brands.length ? `${d.name} (${brands.slice(0, 2).join(', ')})` : d.name);
  }
  const genes = new Map<string, string>();
  for (const [symbol, g] of kb?.pgx.genes.genes ?? []) genes.set(symbol, g.hgnc ? `${symbol} (${g.hgnc})` : symbol);
  const rules = new Map<string, string>();
  for (const plan of kb?.plans.plans ?? []) {
    rules.set(`${plan.formulary.id}#not-listed`, `${plan.name}: not on the formulary`);
    for (const e of plan.items) {
      const flags = [
        e.priorAuthorization && 'prior authorization',
        e.stepTherapy && 'step therapy',
        e.quantityLimit && 'quantity limit',
      ].filter(Boolean);
      rules.set(e.itemId, `${plan.name}: ${e.display}, ${e.tier}${flags.length ? ` (${flags.join(', ')})` : ''}`);
    }
  }
  const local = (code: string) => omb.local[code] ?? code;
  const drug = (n: string) => drugs.get(n) ?? n;
  const gene = (s: string) => genes.get(s) ?? s;
  return {
    race: (c) => omb.race[c] ?? local(c),
    ethnicity: (c) => omb.ethnicity[c] ?? local(c),
    sex: local,
    ageBand: (c) => (c === 'unknown' ? local(c) : `${c} years`),
    cardKind: (c) => CARD_KIND_DISPLAY[c] ?? c,
    pair: (c) => {
      const i = c.indexOf(':');
      return i > 0 ? `${gene(c.slice(0, i))} – ${drug(c.slice(i + 1))}` : c;
    },
    drug,
    gene,
    planRule: (id) => rules.get(id) ?? id,
  };
}

/** Which plan a rule belongs to, and that plan's value-report assumptions (built once at start-up). */
export function buildPlanLookup(kb?: DecisionKnowledge): PlanLookup {
  const byRule = new Map<string, { id: string; name: string }>();
  const assumptions = new Map<string, ValueAssumptions>();
  for (const plan of kb?.plans.plans ?? []) {
    const p = { id: plan.id, name: plan.name };
    byRule.set(`${plan.formulary.id}#not-listed`, p);
    for (const e of plan.items) byRule.set(e.itemId, p);
    assumptions.set(plan.id, plan.valueAssumptions);
  }
  const defaults = kb?.plans.valueAssumptions ?? {};
  return {
    planOfRule: (ruleId) => byRule.get(ruleId),
    assumptionsFor: (planId) => assumptions.get(planId) ?? defaults,
  };
}
