/**
 * Markdown for guidance from sources other than CPIC (FDA label, FDA table, DPWG): after CPIC's recommendation, each with
 * its source, version and citation, and a word where it differs from CPIC.
 */
import { mdText } from './escape';
import type { OtherGuidance } from '../pgx/types';


export function renderOtherGuidance(list: OtherGuidance[], hasCpic: boolean): string[] {
  const out: string[] = ['', hasCpic ? '**Other sources** (after CPIC):' : '**Guidance** (no CPIC recommendation for this drug):'];
  for (const g of list) {
    out.push(
      `- **${mdText(g.source)}**${g.contraindicated ? ' — **contraindicated**' : ''} (${mdText(g.gene)} ${mdText(g.matched)}): ${mdText(g.text)}${g.differsFromCpic ? ' _Differs from CPIC\'s advice above._' : ''}`,
    );
    const pgkb = /^PA\d+$/.test(g.citation.id) ? ` (PharmGKB ${mdText(g.citation.id)})` : '';
    out.push(`  - Source: [${mdText(g.citation.title)}](${g.citation.url})${pgkb}; ${mdText(g.sourceVersion)}; rule \`${mdText(g.rowId)}\``);
  }
  return out;
}
