/**
 * The IWPC pharmacogenetic warfarin dose algorithm (coefficients in terminology/dose-algorithms.json),
 * with CPIC's 2017 adjustments: CYP2C9 *5/*6/*8/*11 (not modelled by IWPC) lower the calculated dose,
 * a CYP4F2*3 carrier's dose may be raised. Every input is reported; missing genotypes and race use the
 * algorithm's own "unknown" / "missing or mixed" terms; missing age, height or weight (no such term)
 * mean no estimate. Ancestry is never inferred. Pure.
 */
import type { IwpcAlgorithm } from './dose-algorithms';
import { cpicAdjustments, cyp4f2Input, usable } from './dose-cpic';
import type { PatientFacts } from './patient-facts';
import type { DoseEstimate, DoseInput, DrugRef, GeneResult, GenomicProfile } from './types';

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const fmt = (x: number): string => (x >= 0 ? `+${round(x, 4)}` : `${round(x, 4)}`);

export interface DoseContext {
  facts: PatientFacts;
  profile: GenomicProfile;
  activeDrugs: DrugRef[];
  /** false when active medications could not be read (amiodarone / inducer status then unknown) */
  medicationsKnown: boolean;
  /** false when the Conditions could not be read (an indication from them is then unknown) */
  conditionsKnown?: boolean;
}

/** CYP2C9 as IWPC sees it: the *1/*2/*3 diplotype, how many CPIC-adjusted alleles were read as *1, or unknown. */
function cyp2c9Category(r: GeneResult | undefined, alg: IwpcAlgorithm): { key: string; reduced: number; why?: string } {
  if (!usable(r) || r.alleles.length !== 2) return { key: 'unknown', reduced: 0, why: r ? 'result not interpretable' : 'no result' };
  const reducedSet = new Set(alg.adjustments.cyp2c9ReducedAlleles);
  let reduced = 0;
  const mapped: string[] = [];
  for (const a of r.alleles) {
    if (a.name === '*1' || a.name === '*2' || a.name === '*3') mapped.push(a.name);
    else if (reducedSet.has(a.name)) {
      reduced++;
      mapped.push('*1');
    } else return { key: 'unknown', reduced: 0, why: `allele ${a.name} is not modelled by IWPC` };
  }
  mapped.sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
  return { key: mapped.join('/'), reduced };
}

function raceCategory(facts: PatientFacts, alg: IwpcAlgorithm): { category: string; words: string } {
  const name = (code: string) => facts.raceDisplays[code] ?? alg.raceNames[code] ?? code;
  if (facts.raceCodes.length === 0) return { category: 'missing-or-mixed', words: 'not recorded — IWPC "missing or mixed race" category used (ancestry is not inferred)' };
  if (facts.raceCodes.length > 1) {
    return { category: 'missing-or-mixed', words: `recorded as ${facts.raceCodes.map(name).join(' and ')} — IWPC "missing or mixed race" category` };
  }
  const code = facts.raceCodes[0]!;
  const cat = alg.race[code];
  if (!cat) return { category: 'missing-or-mixed', words: `recorded as ${name(code)}, which IWPC has no category for — "missing or mixed race" used` };
  return { category: cat, words: `${name(code)} (recorded) — IWPC "${cat.replace(/-/g, ' ')}"` };
}

export function estimateIwpc(alg: IwpcAlgorithm, ctx: DoseContext): DoseEstimate {
  const { facts, profile } = ctx;
  const t = alg.terms;
  const inputs: DoseInput[] = [];
  const missing: string[] = [];
  const notes: string[] = [];
  const adjustments: string[] = [];
  let sum = alg.intercept;
  let computable = true;

  // age (decade number), height, weight: no "unknown" term in the published algorithm
  if (facts.ageYears === undefined) {
    computable = false;
    missing.push('age');
    inputs.push({ name: 'Age', value: `unknown (${facts.ageNote ?? 'no birth date'})`, missing: true });
  } else {
    const decades = Math.floor(facts.ageYears / 10);
    const term = t.ageDecades * decades;
    sum += term;
    inputs.push({ name: 'Age', value: `${facts.ageYears} years (decade ${decades})${facts.ageNote ? `; ${facts.ageNote}` : ''}`, term, source: 'Patient.birthDate' });
    if (facts.ageYears < alg.adultsFromAge) {
      computable = false;
      notes.push(`The IWPC algorithm was derived in adults; no estimate under ${alg.adultsFromAge} years.`);
    }
  }
  for (const [name, m, coef, unit] of [
    ['Height', facts.heightCm, t.heightCm, 'cm'],
    ['Weight', facts.weightKg, t.weightKg, 'kg'],
  ] as const) {
    if (!m) {
      computable = false;
      missing.push(name.toLowerCase());
      inputs.push({ name, value: `not recorded (LOINC ${name === 'Height' ? '8302-2' : '29463-7'})`, missing: true });
    } else {
      const term = coef * m.value;
      sum += term;
      inputs.push({ name, value: `${round(m.value)} ${unit}`, term, source: [m.source, m.date].filter(Boolean).join(', ') || undefined });
    }
  }

  const vk = profile.VKORC1;
  const vkKey = usable(vk) && vk.lookupKey && t.vkorc1[vk.lookupKey] !== undefined ? vk.lookupKey : 'unknown';
  sum += t.vkorc1[vkKey]!;
  if (vkKey === 'unknown') missing.push('VKORC1');
  inputs.push({
    name: 'VKORC1 -1639G>A (rs9923231)',
    value: vkKey === 'unknown' ? `${vk ? 'not interpretable' : 'no result'} — IWPC "genotype unknown" term` : vkKey,
    term: t.vkorc1[vkKey],
    ...(vkKey === 'unknown' ? { missing: true } : {}),
  });

  const c9 = cyp2c9Category(profile.CYP2C9, alg);
  sum += t.cyp2c9[c9.key]!;
  if (c9.key === 'unknown') missing.push('CYP2C9');
  inputs.push({
    name: 'CYP2C9',
    value:
      c9.key === 'unknown'
        ? `${c9.why} — IWPC "genotype unknown" term`
        : `${profile.CYP2C9?.diplotype ?? c9.key}${c9.reduced ? ` (IWPC term for ${c9.key}; ${c9.reduced} allele(s) IWPC does not model, adjusted below)` : ''}`,
    term: t.cyp2c9[c9.key],
    ...(c9.key === 'unknown' ? { missing: true } : {}),
  });

  const race = raceCategory(facts, alg);
  sum += t.race[race.category]!;
  if (facts.raceCodes.length === 0) missing.push('race');
  inputs.push({ name: 'Race', value: race.words, term: t.race[race.category], source: facts.raceCodes.length ? 'Patient US Core race' : undefined });

  const names = new Set(ctx.activeDrugs.map((d) => d.cpicDrug).filter(Boolean));
  const inducers = alg.enzymeInducers.filter((d) => names.has(d));
  const amio = alg.amiodarone.filter((d) => names.has(d));
  if (!ctx.medicationsKnown) missing.push('active medications');
  const medWords = (hits: string[]) => (hits.length ? `yes (${hits.join(', ')})` : ctx.medicationsKnown ? 'none among active medications' : 'unknown (active medications could not be read) — counted as none');
  sum += inducers.length ? t.enzymeInducer : 0;
  inputs.push({ name: `Enzyme inducer (${alg.enzymeInducers.join(', ')})`, value: medWords(inducers), term: inducers.length ? t.enzymeInducer : 0 });
  sum += amio.length ? t.amiodarone : 0;
  inputs.push({ name: 'Amiodarone', value: medWords(amio), term: amio.length ? t.amiodarone : 0 });

  const a = alg.adjustments;
  const f2 = cyp4f2Input(profile, a);
  inputs.push(f2.input);
  if (f2.carrier === undefined) missing.push('CYP4F2');

  const algorithm = { id: alg.id, name: alg.name, citation: alg.citation, url: alg.url };
  if (!computable || sum <= 0) {
    if (computable) notes.push('The algorithm gives no positive dose for these inputs.');
    return { algorithm, status: 'not-estimated', adjustments, inputs, missing, notes };
  }
  const weekly = sum * sum;
  const cpic = cpicAdjustments(a, c9.reduced, f2.carrier, { notForRace: race.category === a.cyp4f2Carrier.notForRace, recorded: facts.raceCodes.length > 0 });
  adjustments.push(...cpic.adjustments);
  notes.push(...cpic.notes);
  const [lo, hi] = [cpic.lo, cpic.hi];
  notes.push(`√(weekly dose) = ${alg.intercept} ${inputs.filter((i) => i.term !== undefined && i.term !== 0).map((i) => fmt(i.term!)).join(' ')} = ${round(sum, 4)}.`);
  return {
    algorithm,
    status: 'estimated',
    weeklyMg: round(weekly),
    ...(adjustments.length ? { adjustedWeeklyMg: { min: round(weekly * lo), max: round(weekly * hi) } } : {}),
    adjustments,
    inputs,
    missing,
    notes,
  };
}
