import { readRxNormName } from '../../src/benefit/rxnorm-names';
import { loadIngredientLexicon } from '../../src/loaders/plans';

const lex = loadIngredientLexicon();
const read = (name: string) => readRxNormName(name, lex);

describe('reading RxNorm normalized names against the drug table', () => {
  it('clinical and branded drugs, salts included', () => {
    expect(read('atorvastatin 80 MG Oral Tablet')).toEqual({ ingredients: ['83367'], unknown: [] });
    expect(read('acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet [Percocet]')).toEqual({ ingredients: ['161', '7804'], unknown: [] });
    expect(read('doxepin hydrochloride 50 MG/ML Topical Cream')).toEqual({ ingredients: ['3638'], unknown: [] });
  });

  it('clinical drug groups by their dose form group', () => {
    expect(read('doxepin Topical Product')).toEqual({ ingredients: ['3638'], unknown: [] });
    expect(read('acetaminophen / oxycodone Oral Product')).toEqual({ ingredients: ['161', '7804'], unknown: [] });
  });

  it('anything but salt words between name and strength leaves the component unknown — never a guess', () => {
    // "warfarin" is known; "warfarin something 5 MG" is not warfarin
    expect(read('warfarin potassium-free 5 MG Oral Tablet')).toEqual({ ingredients: [], unknown: ['warfarin potassium-free 5 mg oral tablet'] });
    expect(read('ethinyl estradiol / levonorgestrel Oral Product')).toEqual({ ingredients: [], unknown: ['ethinyl estradiol', 'levonorgestrel oral product'] });
  });

  it('branded groups and packs name no ingredients', () => {
    expect(read('Percocet Pill')).toEqual({ ingredients: [], unknown: ['percocet pill'] });
    expect(read('{21 (ethinyl estradiol 0.03 MG / levonorgestrel 0.15 MG Oral Tablet) / 7 (inert ingredients 1 MG Oral Tablet) } Pack [Levlen 28 Day]')).toBeUndefined();
  });
});
