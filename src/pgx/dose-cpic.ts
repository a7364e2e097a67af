/**
 * CPIC's 2017 warfarin adjustments (Figure 2) to a dose a validated algorithm calculated, shared by the
 * algorithms: CYP2C9 *5/*6/*8/*11 (modelled by neither IWPC nor Gage) lower the dose; a CYP4F2*3 carrier's
 * dose may be raised, outside African ancestry (read only from recorded race). Pure.
 */
import type { CpicDoseAdjustments } from './dose-algorithms';
import type { DoseInput, GeneResult, GenomicProfile } from './types';

export const usable = (r: GeneResult | undefined): r is GeneResult => !!r && r.status === 'determinate';

/** The CYP4F2 input line and whether the patient carries CPIC's allele (undefined: no usable result). */
export function cyp4f2Input(profile: GenomicProfile, a: CpicDoseAdjustments): { input: DoseInput; carrier?: boolean } {
  const f2 = profile.CYP4F2;
  const carrier = usable(f2) ? f2.alleles.some((x) => x.name === a.cyp4f2Carrier.allele) : undefined;
  return {
    input: {
      name: 'CYP4F2 (CPIC adjustment)',
      value:
        carrier === undefined
          ? f2 ? 'not interpretable' : 'no result'
          : `${f2!.diplotype ?? ''} ${carrier ? `${a.cyp4f2Carrier.allele} carrier` : `${a.cyp4f2Carrier.allele} noncarrier`}`.trim(),
      ...(carrier === undefined ? { missing: true } : {}),
    },
    ...(carrier !== undefined ? { carrier } : {}),
  };
}

/** The factor range CPIC's adjustments put on the calculated dose, with the words for the card. */
export function cpicAdjustments(
  a: CpicDoseAdjustments,
  reducedAlleles: number,
  cyp4f2Carrier: boolean | undefined,
  race: { notForRace: boolean; recorded: boolean },
): { lo: number; hi: number; adjustments: string[]; notes: string[] } {
  let lo = 1;
  let hi = 1;
  const adjustments: string[] = [];
  const notes: string[] = [];
  if (reducedAlleles > 0) {
    const r = reducedAlleles >= 2 ? a.cyp2c9Reduction.homozygous : a.cyp2c9Reduction.heterozygous;
    lo *= 1 - r.max / 100;
    hi *= 1 - r.min / 100;
    adjustments.push(
      `CYP2C9 ${a.cyp2c9ReducedAlleles.join('/')} (${reducedAlleles >= 2 ? 'two alleles' : 'one allele'}): decrease the calculated dose by ${r.min}–${r.max}% (${a.source}; CPIC gives this for patients of African ancestry, where these alleles are common — applied here because the genotype shows the allele, not from ancestry)`,
    );
  }
  if (cyp4f2Carrier) {
    if (race.notForRace) {
      notes.push(`CYP4F2 ${a.cyp4f2Carrier.allele} carrier: CPIC's 5–10% increase is for non-African ancestry; not applied (race recorded as Black or African American).`);
    } else {
      lo *= 1 + a.cyp4f2Carrier.increase.min / 100;
      hi *= 1 + a.cyp4f2Carrier.increase.max / 100;
      adjustments.push(
        `CYP4F2 ${a.cyp4f2Carrier.allele} carrier: increase the dose by ${a.cyp4f2Carrier.increase.min}–${a.cyp4f2Carrier.increase.max}% (${a.source}; CPIC gives this for non-African ancestry${race.recorded ? '' : ' — ancestry is not recorded, so check it applies'})`,
      );
    }
  }
  return { lo, hi, adjustments, notes };
}
