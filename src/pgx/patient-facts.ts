/**
 * The non-genomic facts a dose algorithm needs, read from the record the edge built: age (Patient.birthDate
 * at the request's time — the caller passes `now`), body height and weight (vital-sign Observations, LOINC
 * 8302-2 and 29463-7), recorded race (US Core race extension) and, for algorithms that use them (their codes
 * come from the algorithm's data), smoking status (Observation), target INR (an active Goal) and active
 * Conditions. Pure; nothing is inferred: a fact that is absent or unusable stays undefined, with the reason.
 */
import type { Coding, Condition, Extension, Goal, Observation, Patient } from 'fhir/r4';
import { LOINC } from '../fhir/systems';

export const BODY_HEIGHT = '8302-2';
export const BODY_WEIGHT = '29463-7';

export interface Measured {
  value: number;
  /** the Observation it came from and its date, for the card */
  source?: string;
  date?: string;
}

export interface PatientFacts {
  ageYears?: number;
  /** why age is unknown, or a note on it (partial birth date) */
  ageNote?: string;
  heightCm?: Measured;
  weightKg?: Measured;
  /** OMB race category codes recorded in the US Core race extension (empty when none is recorded) */
  raceCodes: string[];
  /** code → display as recorded (absent when the record gives only the code) */
  raceDisplays: Record<string, string>;
  /** the most recent smoking-status Observation's coded value (when its LOINC code was asked for) */
  smokingStatus?: CodedFact;
  /** the target INR of an active Goal (when its LOINC code was asked for) */
  targetInr?: TargetInr;
  /** active, not refuted Conditions, with their codings, for algorithms that read an indication */
  activeConditions: CodedFact[];
}

export interface CodedFact {
  codings: Coding[];
  /** the value's text or first display */
  display?: string;
  source?: string;
  date?: string;
}

export interface TargetInr {
  /** the value the algorithm uses: the recorded target, or the midpoint of a recorded range (said in `words`) */
  value: number;
  words: string;
  source?: string;
}

/** LOINC codes of the extra facts an algorithm reads (from its data). */
export interface FactCodes {
  smokingStatusLoinc?: string;
  targetInrLoinc?: string;
}

const USABLE = new Set(['final', 'amended', 'corrected']);

/** Completed years between an ISO birth date (YYYY, YYYY-MM or YYYY-MM-DD) and `now`. */
export function ageInYears(birthDate: string | undefined, now: string): { years?: number; note?: string } {
  if (!birthDate) return { note: 'no birth date recorded' };
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate);
  const t = /^(\d{4})-(\d{2})-(\d{2})/.exec(now);
  if (!m || !t) return { note: 'birth date not readable' };
  const [by, bm, bd] = [Number(m[1]), m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined];
  const [ny, nm, nd] = [Number(t[1]), Number(t[2]), Number(t[3])];
  if (bm === undefined || bd === undefined) {
    // a partial date: the age is known only within a year; the lower bound is used and said
    const years = ny - by - (bm === undefined || nm <= bm ? 1 : 0);
    return { years: Math.max(0, years), note: 'birth date recorded without day; age is the lower bound' };
  }
  const years = ny - by - (nm < bm || (nm === bm && nd < bd) ? 1 : 0);
  return years < 0 ? { note: 'birth date is after the request time' } : { years };
}

const HEIGHT_TO_CM: Record<string, number> = { cm: 1, m: 100, mm: 0.1, '[in_i]': 2.54, in: 2.54, '[in_us]': 2.54 };
const WEIGHT_TO_KG: Record<string, number> = { kg: 1, g: 0.001, '[lb_av]': 0.45359237, lb: 0.45359237, lbs: 0.45359237 };

function hasCode(o: Observation, code: string): boolean {
  return (o.code?.coding ?? []).some((c) => c.system === LOINC && c.code === code);
}

/** The most recent usable measurement with a convertible unit, in the target unit. */
function latest(observations: Observation[], code: string, factors: Record<string, number>): Measured | undefined {
  let best: { m: Measured; when: string } | undefined;
  for (const o of observations) {
    if (!hasCode(o, code) || !USABLE.has(o.status)) continue;
    const q = o.valueQuantity;
    const unit = q?.code ?? q?.unit;
    const factor = unit !== undefined ? factors[unit] : undefined;
    if (typeof q?.value !== 'number' || !(q.value > 0) || factor === undefined) continue;
    const when = o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued ?? '';
    if (!best || when > best.when) {
      best = {
        when,
        m: { value: q.value * factor, ...(o.id ? { source: `Observation/${o.id}` } : {}), ...(when ? { date: when.slice(0, 10) } : {}) },
      };
    }
  }
  return best?.m;
}

function raceOf(patient: Patient | undefined, extensionUrl: string): { codes: string[]; displays: Record<string, string> } {
  const ext = (patient?.extension ?? []).find((e: Extension) => e.url === extensionUrl);
  const omb = (ext?.extension ?? []).filter((e) => e.url === 'ombCategory' && e.valueCoding?.code);
  const codes = [...new Set(omb.map((e) => e.valueCoding!.code!))].sort();
  const displays: Record<string, string> = {};
  for (const e of omb) if (e.valueCoding!.display) displays[e.valueCoding!.code!] = e.valueCoding!.display;
  return { codes, displays };
}

/** The most recent usable Observation with a coded value. */
function latestCoded(observations: Observation[], code: string): CodedFact | undefined {
  let best: { f: CodedFact; when: string } | undefined;
  for (const o of observations) {
    if (!hasCode(o, code) || !USABLE.has(o.status)) continue;
    const codings = o.valueCodeableConcept?.coding?.filter((c) => c.code) ?? [];
    if (!codings.length) continue;
    const when = o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued ?? '';
    if (!best || when > best.when) {
      const display = o.valueCodeableConcept?.text ?? codings.find((c) => c.display)?.display;
      best = {
        when,
        f: { codings, ...(display ? { display } : {}), ...(o.id ? { source: `Observation/${o.id}` } : {}), ...(when ? { date: when.slice(0, 10) } : {}) },
      };
    }
  }
  return best?.f;
}

const LIVE_GOAL = new Set(['active', 'accepted']);
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The target INR of the most recent active Goal measuring INR: a value, or the midpoint of a range (said). */
function targetInrOf(goals: Goal[], loinc: string): TargetInr | undefined {
  let best: { t: TargetInr; when: string } | undefined;
  for (const g of goals) {
    if (!LIVE_GOAL.has(g.lifecycleStatus)) continue;
    for (const t of g.target ?? []) {
      if (!(t.measure?.coding ?? []).some((c) => c.system === LOINC && c.code === loinc)) continue;
      const q = t.detailQuantity?.value;
      const lo = t.detailRange?.low?.value;
      const hi = t.detailRange?.high?.value;
      let found: TargetInr | undefined;
      if (typeof q === 'number' && q > 0) found = { value: q, words: `${q} (recorded target)` };
      else if (typeof lo === 'number' && typeof hi === 'number' && lo > 0 && hi >= lo) {
        const mid = round2((lo + hi) / 2);
        found = { value: mid, words: `${mid} — midpoint of the recorded target range ${lo}–${hi}` };
      }
      if (!found) continue;
      const when = g.statusDate ?? g.startDate ?? '';
      if (!best || when > best.when) best = { when, t: { ...found, ...(g.id ? { source: `Goal/${g.id}` } : {}) } };
    }
  }
  return best?.t;
}

const NOT_CURRENT = new Set(['inactive', 'remission', 'resolved']);
const NOT_TRUE = new Set(['refuted', 'entered-in-error']);

function activeConditionsOf(conditions: Condition[]): CodedFact[] {
  return conditions
    .filter((c) => {
      const clinical = c.clinicalStatus?.coding?.map((x) => x.code) ?? [];
      const verification = c.verificationStatus?.coding?.map((x) => x.code) ?? [];
      return clinical.length > 0 && !clinical.some((x) => x && NOT_CURRENT.has(x)) && !verification.some((x) => x && NOT_TRUE.has(x));
    })
    .map((c) => {
      const codings = c.code?.coding?.filter((x) => x.code) ?? [];
      const display = c.code?.text ?? codings.find((x) => x.display)?.display;
      return { codings, ...(display ? { display } : {}), ...(c.id ? { source: `Condition/${c.id}` } : {}) };
    });
}

export function readPatientFacts(
  patient: Patient | undefined,
  observations: Observation[],
  now: string,
  raceExtensionUrl: string,
  more: { goals?: Goal[]; conditions?: Condition[]; codes?: FactCodes } = {},
): PatientFacts {
  const age = ageInYears(patient?.birthDate, now);
  const race = raceOf(patient, raceExtensionUrl);
  const heightCm = latest(observations, BODY_HEIGHT, HEIGHT_TO_CM);
  const weightKg = latest(observations, BODY_WEIGHT, WEIGHT_TO_KG);
  const smokingStatus = more.codes?.smokingStatusLoinc ? latestCoded(observations, more.codes.smokingStatusLoinc) : undefined;
  const targetInr = more.codes?.targetInrLoinc ? targetInrOf(more.goals ?? [], more.codes.targetInrLoinc) : undefined;
  return {
    ...(age.years !== undefined ? { ageYears: age.years } : {}),
    ...(age.note ? { ageNote: age.note } : {}),
    ...(heightCm ? { heightCm } : {}),
    ...(weightKg ? { weightKg } : {}),
    raceCodes: race.codes,
    raceDisplays: race.displays,
    ...(smokingStatus ? { smokingStatus } : {}),
    ...(targetInr ? { targetInr } : {}),
    activeConditions: activeConditionsOf(more.conditions ?? []),
  };
}
