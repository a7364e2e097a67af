/**
 * The tumour results as variables for the plan's prior-authorization criteria (FHIRPath), beside `%pgx`:
 *
 *   %biomarker.<GENE>.status      'detected' | 'not-detected' | 'indeterminate' (tumour results: somatic or
 *                                 source not stated); empty when the gene has no tumour result
 *   %biomarker.<GENE>.variants    protein changes detected in the tumour ("L858R", "G12D"; the lab's words
 *                                 when no protein change is stated)
 *   %biomarker.<GENE>.fusion      true when a rearrangement involving the gene is detected
 *   %biomarker.<GENE>.germlineVariants  germline variants of the gene (never mixed into `status`)
 *   %biomarker.HER2.status        'positive' | 'negative' | 'equivocal'
 *   %biomarker.PDL1.value         percent of tumour cells (status 'reported' without a score)
 *   %biomarker.TMB.value          mutations per megabase
 *   %biomarker.MSI.status         'high' | 'stable' | 'indeterminate'
 *   %cdx.verdict                  the ordered drug's companion-diagnostic verdict for the patient's cancer
 *                                 (confirmed, contrary, not-on-file, indeterminate, indication-not-listed,
 *                                 no-cancer-coded), with %cdx.indication (the table's indication id)
 *
 * Every variable carries `summary`, the words a PA preview shows as evidence. Pure.
 */
import type { OncologyAssessment, TumourFinding, TumourProfile } from './types';

export interface MarkerVariable {
  status?: string;
  variants?: string[];
  fusion?: boolean;
  germlineVariants?: string[];
  value?: number;
  unit?: string;
  summary: string;
}

export interface CompanionDiagnosticVariable {
  verdict: OncologyAssessment['verdict'];
  drug: string;
  indication?: string;
  summary: string;
}

const variantName = (f: TumourFinding): string => f.proteinShort ?? f.protein ?? f.text ?? f.cdna ?? 'variant (change not stated)';

function geneVariable(gene: string, findings: TumourFinding[], unplaced: boolean): MarkerVariable {
  const tumour = findings.filter((f) => f.origin !== 'germline');
  const germline = findings.filter((f) => f.origin === 'germline' && f.present === true);
  const present = tumour.filter((f) => f.present === true && (f.kind !== 'copy-number' || f.genes.includes(gene)));
  const out: MarkerVariable = { summary: '' };
  if (present.length) {
    out.status = 'detected';
    out.variants = [...new Set(present.filter((f) => f.kind === 'variant').map(variantName))];
    out.fusion = present.some((f) => f.kind === 'fusion');
  } else if (tumour.some((f) => f.present === false)) {
    out.status = 'not-detected';
    out.variants = [];
    out.fusion = false;
  } else if (tumour.length || unplaced) {
    out.status = 'indeterminate';
  }
  if (germline.length) out.germlineVariants = [...new Set(germline.map(variantName))];
  const what = out.status === 'detected' ? `detected (${[...(out.variants ?? []), ...(out.fusion ? ['fusion'] : [])].join(', ') || 'variant'})` : out.status;
  out.summary = [what ? `${gene}: ${what} in the tumour` : `${gene}: no tumour result`, germline.length ? `germline ${out.germlineVariants!.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  return out;
}

function measureVariable(name: string, findings: TumourFinding[]): MarkerVariable | undefined {
  if (!findings.length) return undefined;
  const scored = findings.find((f) => f.quantity !== undefined);
  switch (name) {
    case 'HER2': {
      const status = findings.some((f) => f.present === true) ? 'positive' : findings.some((f) => f.present === undefined) ? 'equivocal' : 'negative';
      return { status, summary: `HER2: ${status}` };
    }
    case 'MSI': {
      const status = findings.some((f) => f.present === true) ? 'high' : findings.some((f) => f.present === undefined) ? 'indeterminate' : 'stable';
      return { status, summary: `MSI: ${status}` };
    }
    default:
      return scored
        ? { status: 'reported', value: scored.quantity, ...(scored.unit ? { unit: scored.unit } : {}), summary: `${name}: ${scored.quantity}${scored.unit ? ` ${scored.unit}` : ''}` }
        : { status: 'reported', summary: `${name}: reported without a value` };
  }
}

/** `%biomarker`: one variable per gene with a result, and per measured biomarker (HER2, PDL1, TMB, MSI). */
export function biomarkerVariables(profile: TumourProfile): Record<string, MarkerVariable> {
  const out: Record<string, MarkerVariable> = {};
  const genes = new Set(profile.findings.filter((f) => ['variant', 'fusion', 'copy-number'].includes(f.kind)).flatMap((f) => f.genes));
  for (const u of profile.unplaced) for (const g of u.genes) genes.add(g);
  for (const gene of [...genes].sort()) {
    const findings = profile.findings.filter((f) => ['variant', 'fusion', 'copy-number'].includes(f.kind) && f.genes.includes(gene));
    out[gene] = geneVariable(gene, findings, profile.unplaced.some((u) => u.genes.includes(gene)));
  }
  const measures: Array<[string, TumourFinding['kind']]> = [
    ['HER2', 'her2'],
    ['PDL1', 'pdl1'],
    ['TMB', 'tmb'],
    ['MSI', 'msi'],
  ];
  for (const [name, kind] of measures) {
    const v = measureVariable(name, profile.findings.filter((f) => f.kind === kind));
    if (v) out[name] = v;
  }
  return out;
}

/** `%cdx`: the table's judgement of the ordered drug for the patient's cancer. */
export function companionDiagnosticVariable(o: OncologyAssessment): CompanionDiagnosticVariable {
  return {
    verdict: o.verdict,
    drug: o.drug.name,
    ...(o.indication ? { indication: o.indication.id } : {}),
    summary: `companion diagnostic for ${o.drug.name}${o.conditionDisplay ? ` in ${o.conditionDisplay}` : ''}: ${o.verdict}${o.indication ? ` (${o.indication.id})` : ''}`,
  };
}
