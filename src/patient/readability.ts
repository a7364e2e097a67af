/**
 * Flesch–Kincaid grade level (Kincaid et al. 1975, Naval Technical Training Command report 8-75):
 *   0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59
 * Syllables are counted with the usual English heuristic (vowel groups, silent endings), so
 * the grade is an estimate, as with every readability formula. Pure.
 */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return 1; // a number or symbol is read as one unit
  if (w.length <= 3) return 1;
  // silent endings ("-es", "-ed", a final "e" except in "-le"), a leading consonant "y", then vowel groups
  const trimmed = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  return Math.max(1, trimmed.match(/[aeiouy]{1,2}/g)?.length ?? 0);
}

export interface TextStats {
  sentences: number;
  words: number;
  syllables: number;
  grade: number;
}

export function fleschKincaid(text: string): TextStats {
  const sentences = Math.max(1, text.split(/[.!?]+(?:\s|$)/).filter((s) => /\w/.test(s)).length);
  const words = text.split(/\s+/).map((w) => w.replace(/^[^\w]+|[^\w]+$/g, '')).filter(Boolean);
  const syl = words.reduce((s, w) => s + syllables(w), 0);
  const n = Math.max(1, words.length);
  return { sentences, words: words.length, syllables: syl, grade: 0.39 * (n / sentences) + 11.8 * (syl / n) - 15.59 };
}
