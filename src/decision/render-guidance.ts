/**
 * Markdown for guidance from sources other than CPIC (FDA label, FDA table, DPWG): after CPIC's recommendation, each with
 * its source, version and citation, and a word where it differs from CPIC.
 */
import type { OtherGuidance } from '../pgx/types';

const esc = (s: string): string => s.replace(/([\\`*_[\]<>|])/g, '\\$1');

export function renderOtherGuidance(list: OtherGuidance[], hasCpic: boolean): string[] {
  const out: string[] = ['', hasCpic ? '**Other sources** (after CPIC):' : '**Guidance** (no CPIC recommendation for this drug):'];
  for (const g of list) {
    out.push(
      `- **${esc(g.source)}**${g.contraindicated ? ' — **contraindicated**' : ''} (${esc(g.gene)} ${esc(g.matched)}): ${esc(g.text)}${g.differsFromCpic ? ' _Differs from CPIC\'s advice above._' : ''}`,
    );
    const pgkb = /^PA\d+$/.test(g.citation.id) ? ` (PharmGKB ${esc(g.citation.id)})` : '';
    out.push(`  - Source: [${esc(g.citation.title)}](${g.citation.url})${pgkb}; ${esc(g.sourceVersion)}; rule \`${esc(g.rowId)}\``);
  }
  return out;
}
