import type { Extension, Patient } from 'fhir/r4';
import { US_CORE_ETHNICITY, US_CORE_RACE } from '../fhir/systems';
import type { Demographics } from './types';

/**
 * Coarse demographics stored with each decision for equity monitoring. Only category codes leave this
 * function: OMB race / ethnicity categories from the US Core extensions (never the detailed codes or the
 * free text), administrative sex, and an age band (never the birth date).
 */
const CDC_RACE_ETHNICITY = 'urn:oid:2.16.840.1.113883.6.238';

/** OMB minimum categories (CDC Race & Ethnicity code system) — the only race values we keep. */
export const OMB_RACE_CODES = new Set(['1002-5', '2028-9', '2054-5', '2076-8', '2106-3']);
export const OMB_ETHNICITY_CODES = new Set(['2135-2', '2186-5']);

export const UNKNOWN = 'unknown';
/** more than one OMB race category reported */
export const MULTIPLE = 'multiple';

export const AGE_BANDS: ReadonlyArray<{ band: string; min: number; max: number }> = [
  { band: '0-17', min: 0, max: 17 },
  { band: '18-44', min: 18, max: 44 },
  { band: '45-64', min: 45, max: 64 },
  { band: '65+', min: 65, max: Number.POSITIVE_INFINITY },
];

function ombCategories(patient: Patient | undefined, url: string, allowed: Set<string>): string[] {
  const ext = patient?.extension?.find((e) => e.url === url);
  const codes = (ext?.extension ?? [])
    .filter((e: Extension) => e.url === 'ombCategory' && e.valueCoding?.system === CDC_RACE_ETHNICITY)
    .map((e) => e.valueCoding?.code)
    .filter((c): c is string => !!c && allowed.has(c));
  return [...new Set(codes)];
}

function raceOf(patient: Patient | undefined): string {
  const codes = ombCategories(patient, US_CORE_RACE, OMB_RACE_CODES);
  if (codes.length === 0) return UNKNOWN;
  return codes.length === 1 ? codes[0] : MULTIPLE;
}

function ethnicityOf(patient: Patient | undefined): string {
  const codes = ombCategories(patient, US_CORE_ETHNICITY, OMB_ETHNICITY_CODES);
  // both categories at once is contradictory: treat as unknown rather than pick one
  return codes.length === 1 ? codes[0] : UNKNOWN;
}

function sexOf(patient: Patient | undefined): string {
  const g = patient?.gender;
  return g === 'male' || g === 'female' || g === 'other' ? g : UNKNOWN;
}

/** whole years between two calendar dates (y, m, d) */
function ageOn(by: number, bm: number, bd: number, ny: number, nm: number, nd: number): number {
  return ny - by - (nm < bm || (nm === bm && nd < bd) ? 1 : 0);
}

function bandOf(age: number): string | undefined {
  return AGE_BANDS.find((b) => age >= b.min && age <= b.max)?.band;
}

/**
 * Age band at `now`. A partial birthDate (year or year-month) is used only when every possible birth day
 * in it gives the same band; otherwise "unknown" rather than a guess.
 */
function ageBandOf(birthDate: string | undefined, now: string): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(birthDate ?? '');
  const n = /^(\d{4})-(\d{2})-(\d{2})/.exec(now);
  if (!m || !n) return UNKNOWN;
  const [ny, nm, nd] = [Number(n[1]), Number(n[2]), Number(n[3])];
  const y = Number(m[1]);
  const earliest = { m: m[2] ? Number(m[2]) : 1, d: m[3] ? Number(m[3]) : 1 };
  const latest = { m: m[2] ? Number(m[2]) : 12, d: m[3] ? Number(m[3]) : 31 };
  const oldest = ageOn(y, earliest.m, earliest.d, ny, nm, nd);
  const youngest = ageOn(y, latest.m, latest.d, ny, nm, nd);
  if (youngest < 0) return UNKNOWN; // born after `now`: bad data
  const a = bandOf(oldest);
  const b = bandOf(youngest);
  return a !== undefined && a === b ? a : UNKNOWN;
}

export function coarseDemographics(patient: Patient | undefined, now: string): Demographics {
  return {
    race: raceOf(patient),
    ethnicity: ethnicityOf(patient),
    sex: sexOf(patient),
    ageBand: ageBandOf(patient?.birthDate, now),
  };
}
