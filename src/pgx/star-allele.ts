/**
 * Parse the diplotype strings labs send ("*1/*2", "CYP2C19 *1/*2", "CYP2C19*1/*2", "*1/*2x2", "*36+*10/*4",
 * "rs9923231 C/T", "c.1905+1G>A/c.2846A>T") into allele tokens, and resolve tokens to CPIC allele names.
 * Malformed strings are rejected with a reason; unknown-but-well-formed alleles are left for the
 * phenotype step to report.
 */
import { aliasKey, type IndexedGene } from './gene-knowledge';

export type DiplotypeParse = { ok: true; tokens: string[] } | { ok: false; reason: string };

const STAR = String.raw`\*\d+[A-Za-z]?\d*(?:x(?:\d+|N|≥3))?`;
const STAR_TOKEN = new RegExp(String.raw`^${STAR}(?: \+ ${STAR})*$`);

/** Canonical spelling of one allele token: "*36+*10" → "*36 + *10", "*2XN" → "*2xN", "*1x>=3" → "*1x≥3". */
export function normaliseToken(token: string): string {
  return token
    .trim()
    .replace(/\s*\+\s*/g, ' + ')
    .replace(/(\*\d+[A-Za-z]?\d*)\s*[xX×]\s*(>=|≥)\s*3/g, '$1x≥3')
    .replace(/(\*\d+[A-Za-z]?\d*)\s*[xX×]\s*([0-9]+|[nN])\b/g, (_m, a: string, n: string) => `${a}x${n.toUpperCase()}`);
}

/** The CPIC allele name for a token, or undefined when CPIC's table does not list it. */
export function resolveAllele(token: string, gene: IndexedGene): string | undefined {
  if (gene.alleles[token]) return token;
  return gene.aliases.get(aliasKey(token));
}

/** Strip a leading gene symbol ("CYP2C19 ", "CYP2C19", "HLA-B") from a reported value. */
export function stripGene(text: string, gene: string): string {
  const t = text.trim();
  const prefix = gene.toLowerCase();
  if (t.toLowerCase().startsWith(prefix)) {
    const rest = t.slice(gene.length);
    // only when the symbol is a whole word: "CYP2C19*2", "CYP2C19 *2", "CYP2C19: *1/*2"
    if (rest === '' || /^[\s:*]/.test(rest)) return rest.replace(/^[\s:]+/, '');
  }
  return t;
}

const isStarGene = (gene: IndexedGene): boolean => gene.referenceAllele === '*1' || Object.keys(gene.alleles).some((a) => a.startsWith('*'));

function checkToken(token: string, gene: IndexedGene): string | undefined {
  if (token === '') return 'empty allele';
  if (isStarGene(gene) && (token.startsWith('*') || /^\d/.test(token))) {
    if (!STAR_TOKEN.test(token)) return `malformed allele "${token}"`;
  }
  return undefined;
}

const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A' };
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A genotype written by the variant's legacy position on the opposite strand ("-1639 G/A", "-1639GA"): its bases
 * are the complements of the reference and variant bases; read back as the rsID's bases ("CT").
 */
function legacyBases(text: string, position: string, ref: string, alt: string): string | undefined {
  const bases = `${COMPLEMENT[ref] ?? ''}${COMPLEMENT[alt] ?? ''}`;
  const m = new RegExp(String.raw`^${escapeRegExp(position)}\s*([${bases}])\s*\/?\s*([${bases}])$`, 'i').exec(text);
  return m ? COMPLEMENT[m[1]!.toUpperCase()]! + COMPLEMENT[m[2]!.toUpperCase()]! : undefined;
}

/** Single-variant genes: "rs9923231 C/T", "C/T", "CT", "-1639 GA" → the two CPIC allele names. */
function parseVariantGenotype(text: string, gene: IndexedGene): DiplotypeParse | undefined {
  const v = gene.variant;
  if (!v) return undefined;
  let t = text.trim();
  let bases: string | undefined;
  const legacy = v.legacyPosition ? legacyBases(t, v.legacyPosition, v.ref, v.alt) : undefined;
  if (legacy) {
    bases = legacy;
  } else {
    if (t.toLowerCase().startsWith(v.rsid)) t = t.slice(v.rsid.length).replace(/^[\s:]+/, '');
    const m = /^([ACGT])\s*[/|]?\s*([ACGT])$/i.exec(t);
    // not a base genotype: leave it to the allele-name parser ("rs9923231 reference (C)/...")
    if (!m) return undefined;
    bases = (m[1]! + m[2]!).toUpperCase();
  }
  const refName = v.refAllele ?? `${v.rsid} reference (${v.ref})`;
  const altName = v.altAllele ?? `${v.rsid} variant (${v.alt})`;
  const tokens: string[] = [];
  for (const b of bases) {
    if (b === v.ref) tokens.push(refName);
    else if (b === v.alt) tokens.push(altName);
    else return { ok: false, reason: `${v.rsid} base ${b} is neither reference ${v.ref} nor variant ${v.alt}` };
  }
  return { ok: true, tokens };
}

/**
 * Split a reported diplotype into allele tokens. Genes whose allele names may contain "/" (G6PD "Telti/Kobe")
 * are split where both halves are known alleles. `expected` is 1 for hemizygous/mitochondrial results.
 */
export function parseDiplotype(text: string, gene: IndexedGene, expected: 1 | 2 = 2): DiplotypeParse {
  const body = stripGene(text, gene.gene);
  if (body === '') return { ok: false, reason: 'empty genotype' };
  const variant = parseVariantGenotype(body, gene);
  if (variant) return variant;

  if (body.split('/').some((part) => part.trim() === '') && body.includes('/')) {
    return { ok: false, reason: `empty allele in "${body}"` };
  }
  const whole = normaliseToken(body);
  const wholeKnown = resolveAllele(whole, gene) !== undefined;
  if (!body.includes('/') || (expected === 1 && wholeKnown)) {
    const problem = checkToken(whole, gene);
    return problem ? { ok: false, reason: problem } : { ok: true, tokens: [whole] };
  }

  const slashes = [...body.matchAll(/\//g)].map((m) => m.index!);
  if (slashes.length === 0) return { ok: false, reason: `expected two alleles separated by "/" in "${body}"` };
  let split: [string, string] | undefined;
  for (const at of slashes) {
    const a = normaliseToken(body.slice(0, at));
    const b = normaliseToken(stripGene(body.slice(at + 1), gene.gene));
    if (resolveAllele(a, gene) && resolveAllele(b, gene)) {
      split = [a, b];
      break;
    }
  }
  if (!split && wholeKnown) return { ok: true, tokens: [whole] };
  if (!split) {
    if (slashes.length > 1) return { ok: false, reason: `more than two alleles in "${body}"` };
    split = [normaliseToken(body.slice(0, slashes[0])), normaliseToken(stripGene(body.slice(slashes[0]! + 1), gene.gene))];
  }
  for (const token of split) {
    const problem = checkToken(token, gene);
    if (problem) return { ok: false, reason: problem };
  }
  return { ok: true, tokens: split };
}
