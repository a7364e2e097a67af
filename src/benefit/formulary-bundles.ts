/**
 * The formulary resources of a plan directory read into payer plans: every file's resources in one pool,
 * references resolved (in the same file first), FormularyItems and their FormularyDrugs read, each payer
 * plan joined to its formulary and items, and what no plan uses reported.
 */
import type { Basic, Bundle, InsurancePlan, MedicationKnowledge, Resource } from 'fhir/r4';
import {
  parseFormularyDrug,
  parseFormularyItem,
  readPayerCosts,
  USDF_PROFILE,
  USDF_EXT,
  type FormularyDrugReading,
  type FormularyEntry,
  type PayerCostTable,
  type TierCodeMapping,
} from './formulary';
import type { ParsedFile, PlanLoadReport } from './plan-catalogue';
import type { IngredientLexicon } from './rxnorm-names';

export interface PayerIndex {
  file: string;
  payer: InsurancePlan;
  formulary: InsurancePlan;
  items: FormularyEntry[];
  costs: PayerCostTable;
}

const hasProfile = (r: Resource, profile: string) => (r.meta?.profile ?? []).some((p) => p.split('|')[0] === profile);
/** "file: Type/id", how every problem names the resource it is about */
export const resourceLabel = (file: string, r: { resourceType: string; id?: string }) => `${file}: ${r.resourceType}/${r.id ?? '(no id)'}`;
const formularyRefs = (x: { extension?: Array<{ url: string; valueReference?: { reference?: string } }> }) =>
  (x.extension ?? []).filter((e) => e.url === USDF_EXT.formularyReference).map((e) => e.valueReference?.reference);

/**
 * Reference resolution inside a bundle: by `fullUrl` (absolute URLs, urn:uuid), by `Type/id`, and an absolute
 * URL ending in `Type/id` by that resource (exports often write the server's URL into every reference).
 */
function bundleResolver(entries: ReadonlyArray<{ resource: Resource; fullUrl?: string }>) {
  const byUrl = new Map<string, Resource>();
  const byTypeId = new Map<string, Resource>();
  for (const { resource, fullUrl } of entries) {
    if (resource.id) byTypeId.set(`${resource.resourceType}/${resource.id}`, resource);
    if (fullUrl) byUrl.set(fullUrl, resource);
  }
  return (ref: string): Resource | undefined => {
    const clean = ref.replace(/\/_history\/[^/]+$/, '');
    const direct = byUrl.get(clean) ?? byTypeId.get(clean);
    if (direct) return direct;
    const tail = /([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(clean);
    return tail ? byTypeId.get(`${tail[1]}/${tail[2]}`) : undefined;
  };
}

/** A Basic is a FormularyItem when it says so by profile, by code, or by carrying a formulary reference. */
const isFormularyItem = (r: Resource): r is Basic =>
  r.resourceType === 'Basic' &&
  (hasProfile(r, USDF_PROFILE.formularyItem) ||
    formularyRefs(r as Basic).length > 0 ||
    ((r as Basic).code?.coding ?? []).some((c) => c.code === 'formulary-item'));

/**
 * Every resource of every file in the plan directory, one pool: a formulary may come as one Bundle, as
 * several (payer plans in one, items in another), or one resource per file / NDJSON line as a bulk export
 * writes it. A reference resolves in its own file first, then among the other files (where the target is
 * unique).
 */
function collect(files: ParsedFile[], problems: string[]): Array<{ file: string; resource: Resource; fullUrl?: string }> {
  const out: Array<{ file: string; resource: Resource; fullUrl?: string }> = [];
  const seen = new Set<string>();
  const add = (file: string, where: string, r: Resource | undefined, fullUrl?: string) => {
    if (!r || typeof r !== 'object' || typeof r.resourceType !== 'string') {
      problems.push(`${file}: ${where} has no resource: remove it or add its resource`);
      return;
    }
    if (!r.id && !fullUrl) problems.push(`${file}: ${where} ${r.resourceType} has neither id nor fullUrl, so nothing can refer to it: add an id`);
    // the same resource in two files is normal (each plan's export carries its drugs); twice in one file is not
    const key = r.id ? `${file}|${r.resourceType}/${r.id}` : undefined;
    if (key && seen.has(key)) {
      problems.push(`${file}: ${r.resourceType}/${r.id} is listed twice: keep one`);
      return;
    }
    if (key) seen.add(key);
    out.push({ file, resource: r, fullUrl });
  };
  for (const { file, content } of files) {
    const c = content as Bundle | Resource | undefined;
    if (c && typeof c === 'object' && c.resourceType === 'Bundle' && Array.isArray((c as Bundle).entry)) {
      (c as Bundle).entry!.forEach((e, i) => add(file, `entry[${i}]`, e?.resource, e?.fullUrl));
    } else if (c && typeof c === 'object' && typeof c.resourceType === 'string' && c.resourceType !== 'Bundle') {
      add(file, 'the file', c as Resource);
    } else {
      problems.push(`${file}: neither a FHIR Bundle with entries nor a FHIR resource: export the formulary as a Bundle (type collection), resource files or NDJSON`);
    }
  }
  return out;
}

export function readPayerPlans(
  files: ParsedFile[],
  ctx: { lexicon: IngredientLexicon; tierCodes: readonly TierCodeMapping[] },
  problems: string[],
  report: PlanLoadReport,
): PayerIndex[] {
  const entries = collect(files, problems);
  const fileOf = new Map(entries.map((e) => [e.resource, e.file]));
  const label = (file: string, r: { resourceType: string; id?: string }) =>
    `${fileOf.get(r as Resource) ?? file}: ${r.resourceType}/${r.id ?? '(no id)'}`;
  const file = files.length === 1 ? files[0]!.file : 'the plan directory';
  const byFile = new Map<string, Array<{ resource: Resource; fullUrl?: string }>>();
  const counts = new Map<string, number>();
  const typeId = (r: Resource) => `${r.resourceType}/${r.id}`;
  for (const e of entries) {
    const list = byFile.get(e.file);
    if (list) list.push(e);
    else byFile.set(e.file, [e]);
    if (e.resource.id) counts.set(typeId(e.resource), (counts.get(typeId(e.resource)) ?? 0) + 1);
  }
  const global = bundleResolver(entries.filter((e) => !e.resource.id || counts.get(typeId(e.resource)) === 1));
  const locals = new Map([...byFile].map(([f, list]) => [f, bundleResolver(list)]));
  const resolverFor = (r: Resource) => {
    const local = locals.get(fileOf.get(r)!)!;
    return (ref: string) => local(ref) ?? global(ref);
  };
  const resources = entries.map((e) => e.resource);
  const used = new Set<Resource>();

  // FormularyDrugs are read when an item refers to them; one reading (and one set of problems) per drug
  const drugs = new Map<Resource, FormularyDrugReading>();
  for (const r of resources) {
    if (r.resourceType === 'MedicationKnowledge') drugs.set(r, parseFormularyDrug(r as MedicationKnowledge, ctx.lexicon));
  }
  const reportedDrugs = new Set<Resource>();

  const itemsByFormulary = new Map<Resource, FormularyEntry[]>();
  for (const r of resources) {
    if (!isFormularyItem(r)) continue;
    used.add(r);
    const item = parseFormularyItem(r, resolverFor(r), drugs, ctx.tierCodes);
    if (item.drug) {
      used.add(item.drug);
      const reading = drugs.get(item.drug);
      if (reading?.problems.length && !reportedDrugs.has(item.drug)) {
        reportedDrugs.add(item.drug);
        problems.push(...reading.problems.map((p) => `${label(file, item.drug!)}: ${p}`));
      }
    }
    if (item.problems.length) {
      problems.push(...item.problems.map((p) => `${label(file, r)}: ${p}`));
      continue;
    }
    const f = item.formulary!;
    if (f.resourceType !== 'InsurancePlan') {
      problems.push(`${label(file, r)}: usdf-FormularyReference-extension points at ${f.resourceType}/${f.id}: point it at the usdf-Formulary InsurancePlan`);
      continue;
    }
    const list = itemsByFormulary.get(f) ?? [];
    list.push(item.entry!);
    itemsByFormulary.set(f, list);
  }

  const payers = resources.filter(
    (r): r is InsurancePlan =>
      r.resourceType === 'InsurancePlan' &&
      (hasProfile(r, USDF_PROFILE.payerPlan) || ((r as InsurancePlan).coverage ?? []).some((c) => formularyRefs(c).length > 0)),
  );
  const out: PayerIndex[] = [];
  if (payers.length === 0) {
    problems.push(`${file}: no payer plan (InsurancePlan with usdf-PayerInsurancePlan profile or a coverage usdf-FormularyReference-extension): add one`);
  }
  for (const payer of payers) {
    used.add(payer);
    if (!(payer.identifier ?? []).some((i) => i.value)) {
      problems.push(`${label(file, payer)}: payer plan has no identifier: add identifier.value (Coverage.class of type plan names it)`);
    }
    if (!payer.name) problems.push(`${label(file, payer)}: payer plan has no name: add name (cards show it)`);
    const refs = (payer.coverage ?? []).flatMap((c) => formularyRefs(c));
    if (refs.length !== 1 || !refs[0]) {
      problems.push(
        `${label(file, payer)}: expected exactly one coverage.extension usdf-FormularyReference-extension naming its formulary, found ${refs.length}`,
      );
      continue;
    }
    const formulary = resolverFor(payer)(refs[0]);
    if (!formulary || formulary.resourceType !== 'InsurancePlan' || payers.includes(formulary as InsurancePlan)) {
      problems.push(`${label(file, payer)}: formulary reference ${refs[0]} does not resolve to a usdf-Formulary InsurancePlan in this bundle`);
      continue;
    }
    used.add(formulary);
    const costs = readPayerCosts(payer, ctx.tierCodes);
    problems.push(...costs.problems.map((p) => `${label(file, payer)}: ${p}`));
    out.push({ file: fileOf.get(payer)!, payer, formulary: formulary as InsurancePlan, items: itemsByFormulary.get(formulary) ?? [], costs: costs.table });
  }
  for (const [f, list] of itemsByFormulary) {
    if (!out.some((o) => o.formulary === f)) {
      problems.push(`${label(file, f)}: ${list.length} FormularyItem(s) refer to this formulary but no payer plan's coverage does: add the payer plan or remove the items`);
    }
  }

  const unused = new Map<string, Record<string, string[]>>();
  for (const { file: from, resource, fullUrl } of entries) {
    if (used.has(resource)) continue;
    const byType = unused.get(from) ?? {};
    unused.set(from, byType);
    (byType[resource.resourceType] ??= []).push(resource.id ?? fullUrl ?? '(no id)');
  }
  for (const f of files) if (unused.has(f.file)) report.unused.push({ file: f.file, byType: unused.get(f.file)! });
  return out;
}

/** every identifier value of a payer plan (Coverage.class of type plan names it by any of them) */
export const identifiersOf = (payer: InsurancePlan) => [...new Set((payer.identifier ?? []).flatMap((i) => (i.value ? [i.value] : [])))];
