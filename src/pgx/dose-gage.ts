/**
 * The Gage 2008 pharmacogenetic warfarin dose algorithm (the equation behind WarfarinDosing.org;
 * coefficients and their provenance in terminology/dose-algorithms.json): dose (mg/day) = exp(intercept +
 * terms), with CPIC's 2017 adjustments. The published equation has no "unknown" term for any input, so it is
 * computed only when every input is recorded; otherwise the estimate names what is missing and why. Race is
 * read only as recorded (US Core race), never inferred. Pure.
 */
import type { Coding } from 'fhir/r4';
import type { GageAlgorithm } from './dose-algorithms';
import { cpicAdjustments, cyp4f2Input, usable } from './dose-cpic';
import type { DoseContext } from './dose-iwpc';
import { ICD10_CM, SNOMED_CT } from '../fhir/systems';
import type { DoseEstimate, DoseInput, GeneResult } from './types';

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const fmt = (x: number): string => (x >= 0 ? `+${round(x, 4)}` : `${round(x, 4)}`);

/** Body surface area (m²) by the formula the algorithm's data names. */
export function bodySurfaceArea(formula: GageAlgorithm['bsaFormula'], heightCm: number, weightKg: number): number {
  switch (formula) {
    case 'mosteller':
      return Math.sqrt((heightCm * weightKg) / 3600);
  }
}

const BSA_WORDS: Record<GageAlgorithm['bsaFormula'], string> = { mosteller: 'Mosteller, √(height cm × weight kg / 3600)' };

/** CYP2C9 as Gage sees it: counts of *2 and *3, and CPIC-adjusted alleles read as *1. */
function cyp2c9Counts(r: GeneResult | undefined, alg: GageAlgorithm): { star2: number; star3: number; reduced: number } | { why: string } {
  if (!usable(r) || r.alleles.length !== 2) return { why: r ? 'result not interpretable' : 'no result' };
  const reducedSet = new Set(alg.adjustments.cyp2c9ReducedAlleles);
  const c = { star2: 0, star3: 0, reduced: 0 };
  for (const a of r.alleles) {
    if (a.name === '*2') c.star2++;
    else if (a.name === '*3') c.star3++;
    else if (reducedSet.has(a.name)) c.reduced++;
    else if (a.name !== '*1') return { why: `allele ${a.name} is not modelled by the Gage equation` };
  }
  return c;
}

const isThrombosis = (c: Coding, alg: GageAlgorithm): boolean =>
  (c.system === SNOMED_CT && !!c.code && alg.thrombosis.snomed[c.code] !== undefined) ||
  (c.system === ICD10_CM && !!c.code && alg.thrombosis.icd10cmPrefixes.some((p) => c.code!.startsWith(p)));

export function estimateGage(alg: GageAlgorithm, ctx: DoseContext): DoseEstimate {
  const { facts, profile } = ctx;
  const t = alg.terms;
  const inputs: DoseInput[] = [];
  const missing: string[] = [];
  const notes: string[] = [];
  const adjustments: string[] = [];
  let sum = alg.intercept;
  let adult = true;
  /** an input; `missingAs` names it, with why, when it is missing */
  const add = (input: DoseInput, missingAs?: string): void => {
    inputs.push(missingAs ? { ...input, missing: true } : input);
    if (missingAs) missing.push(missingAs);
    else if (input.term !== undefined) sum += input.term;
  };

  if (facts.ageYears === undefined) add({ name: 'Age', value: `unknown (${facts.ageNote ?? 'no birth date'})` }, `age (${facts.ageNote ?? 'no birth date'})`);
  else {
    add({ name: 'Age', value: `${facts.ageYears} years${facts.ageNote ? `; ${facts.ageNote}` : ''}`, term: t.ageYears * facts.ageYears, source: 'Patient.birthDate' });
    if (facts.ageYears < alg.adultsFromAge) {
      adult = false;
      notes.push(`The Gage algorithm was derived in adults; no estimate under ${alg.adultsFromAge} years.`);
    }
  }

  const { heightCm: h, weightKg: w } = facts;
  if (!h || !w) {
    const lacking = [!h ? 'height (LOINC 8302-2)' : '', !w ? 'weight (LOINC 29463-7)' : ''].filter(Boolean).join(' and ');
    add({ name: 'Body surface area', value: `not computable: ${lacking} not recorded` }, `body surface area (${lacking} not recorded)`);
  } else {
    const bsa = bodySurfaceArea(alg.bsaFormula, h.value, w.value);
    add({
      name: 'Body surface area',
      value: `${round(bsa, 2)} m² (${BSA_WORDS[alg.bsaFormula]}; ${round(h.value)} cm, ${round(w.value)} kg)`,
      term: t.bsaM2 * bsa,
      source: [h.source, w.source].filter(Boolean).join(', ') || undefined,
    });
  }

  const inr = facts.targetInr;
  if (!inr) add({ name: 'Target INR', value: `not recorded (an active Goal with target measure LOINC ${alg.targetInrLoinc})` }, 'target INR (no active Goal with an INR target)');
  else add({ name: 'Target INR', value: inr.words, term: t.targetInr * inr.value, source: inr.source });

  const vk = profile.VKORC1;
  const aAlleles = usable(vk) && vk.lookupKey ? alg.vkorc1AAlleles[vk.lookupKey] : undefined;
  if (aAlleles === undefined) add({ name: 'VKORC1 -1639G>A (rs9923231)', value: vk ? 'not interpretable' : 'no result' }, `VKORC1 (${vk ? 'not interpretable' : 'no result'})`);
  else add({ name: 'VKORC1 -1639G>A (rs9923231)', value: `${vk!.lookupKey} (${aAlleles} A allele${aAlleles === 1 ? '' : 's'})`, term: t.vkorc1AAllele * aAlleles });

  const c9 = cyp2c9Counts(profile.CYP2C9, alg);
  let reduced = 0;
  if ('why' in c9) add({ name: 'CYP2C9 *2 and *3', value: c9.why }, `CYP2C9 (${c9.why})`);
  else {
    reduced = c9.reduced;
    const dip = profile.CYP2C9?.diplotype ?? '';
    add({
      name: 'CYP2C9 *2 and *3',
      value: `${dip}: ${c9.star2} × *2, ${c9.star3} × *3${c9.reduced ? ` (${c9.reduced} allele(s) the equation does not model, read as *1 and adjusted below)` : ''}`,
      term: t.cyp2c9Star2Allele * c9.star2 + t.cyp2c9Star3Allele * c9.star3,
    });
  }

  const names = new Set(ctx.activeDrugs.map((d) => d.cpicDrug).filter(Boolean));
  const amio = alg.amiodarone.filter((d) => names.has(d));
  if (!ctx.medicationsKnown) add({ name: 'Amiodarone', value: 'unknown (active medications could not be read)' }, 'amiodarone (active medications could not be read)');
  else add({ name: 'Amiodarone', value: amio.length ? `yes (${amio.join(', ')})` : 'none among active medications', term: amio.length ? t.amiodarone : 0 });

  const smoke = facts.smokingStatus;
  const smokeCode = smoke?.codings.find((c) => c.system === SNOMED_CT && c.code && (alg.smokingStatus.current[c.code] || alg.smokingStatus.notCurrent[c.code]))?.code;
  if (!smoke) add({ name: 'Smoker', value: `not recorded (smoking status Observation, LOINC ${alg.smokingStatus.loinc})` }, 'smoking status (not recorded)');
  else if (!smokeCode) add({ name: 'Smoker', value: `recorded as "${smoke.display ?? 'uncoded'}", which does not say whether the patient smokes now`, source: smoke.source }, 'smoking status (current smoking not known)');
  else {
    const current = alg.smokingStatus.current[smokeCode] !== undefined;
    const words = alg.smokingStatus.current[smokeCode] ?? alg.smokingStatus.notCurrent[smokeCode]!;
    add({ name: 'Smoker', value: `${current ? 'yes' : 'no'} (${words})`, term: current ? t.smoker : 0, source: [smoke.source, smoke.date].filter(Boolean).join(', ') || undefined });
  }

  const name = (code: string) => facts.raceDisplays[code] ?? alg.raceNames[code] ?? code;
  if (facts.raceCodes.length === 0) add({ name: 'African-American race', value: 'race not recorded (the equation needs it; ancestry is not inferred)' }, 'race (not recorded)');
  else {
    const aa = facts.raceCodes.includes(alg.africanAmericanRace);
    add({
      name: 'African-American race',
      value: `${aa ? 'yes' : 'no'} — race recorded as ${facts.raceCodes.map(name).join(' and ')}`,
      term: aa ? t.africanAmerican : 0,
      source: 'Patient US Core race',
    });
  }

  if (ctx.conditionsKnown === false) add({ name: 'Current DVT/PE', value: 'unknown (conditions could not be read)' }, 'DVT/PE (conditions could not be read)');
  else {
    const vte = facts.activeConditions.filter((c) => c.codings.some((x) => isThrombosis(x, alg)));
    add({
      name: 'Current DVT/PE',
      value: vte.length ? `yes (${vte.map((c) => c.display ?? 'coded condition').join(', ')})` : 'no active DVT or PE condition recorded',
      term: vte.length ? t.dvtPe : 0,
      source: vte.map((c) => c.source).filter(Boolean).join(', ') || undefined,
    });
  }

  const a = alg.adjustments;
  const f2 = cyp4f2Input(profile, a);
  inputs.push(f2.input);

  const algorithm = { id: alg.id, name: alg.name, citation: alg.citation, url: alg.url };
  if (missing.length || !adult) {
    if (missing.length) notes.push('The Gage equation has no term for a missing input, so it is computed only when every input is recorded.');
    return { algorithm, status: 'not-estimated', adjustments, inputs, missing, notes };
  }
  const daily = Math.exp(sum);
  const weekly = daily * 7;
  const aa = facts.raceCodes.includes(alg.africanAmericanRace);
  const cpic = cpicAdjustments(a, reduced, f2.carrier, { notForRace: aa, recorded: true });
  adjustments.push(...cpic.adjustments);
  notes.push(...cpic.notes);
  notes.push(
    `ln(daily dose) = ${alg.intercept} ${inputs.filter((i) => i.term !== undefined && i.term !== 0).map((i) => fmt(i.term!)).join(' ')} = ${round(sum, 4)}; dose = ${round(daily, 2)} mg/day.`,
  );
  notes.push(`Coefficients: ${alg.provenance}.`);
  return {
    algorithm,
    status: 'estimated',
    weeklyMg: round(weekly),
    ...(adjustments.length ? { adjustedWeeklyMg: { min: round(weekly * cpic.lo), max: round(weekly * cpic.hi) } } : {}),
    adjustments,
    inputs,
    missing,
    notes,
  };
}
