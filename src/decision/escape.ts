/**
 * Output encoding by context. Every string that comes from outside (FHIR data from the EHR, plan data)
 * is encoded for the place it lands in a card, so it can only ever be text there:
 * - `mdText`  — inline CommonMark text (card detail): no HTML, no links, no emphasis, no line breaks;
 * - `mdCode`  — a CommonMark code span: a backtick fence longer than any backtick run inside;
 * - `mdLink`  — a link whose text is outside data; only absolute http(s) destinations become links;
 * - `plainText` — plain-text fields (summary, suggestion labels, action descriptions): one line, no
 *   control or direction-changing characters, no angle brackets, bounded length.
 * The card's own words are written by the renderer and are not passed through these.
 */

// C0/C1 controls, line/paragraph separators, zero-width and bidirectional formatting characters:
// they break lines, hide text or reorder what the prescriber reads
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]+/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** printable ASCII words separated by single spaces, nothing at either end: what oneLine returns unchanged */
const ONE_LINE_ASCII = /^(?:[\x21-\x7e]+(?: [\x21-\x7e]+)*)?$/;

/** one line of visible text: invisible characters become a space, runs of spaces one space */
export function oneLine(s: string): string {
  const text = String(s);
  // most card text is already one plain line: one test instead of four passes
  if (ONE_LINE_ASCII.test(text)) return text;
  return text.replace(LONE_SURROGATE, '\ufffd').replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Text that mdText would return unchanged: single-spaced ASCII words, digits and harmless punctuation (no
 * markup character, no ':' or '/' that could make an autolink, no leading list marker, digit or space, no
 * trailing space). Kept deliberately narrower than what mdText escapes; the property test checks both agree.
 */
const PLAIN_WORDS = /^(?![-+\d ])(?:[A-Za-z0-9,.;()'%=+-]| (?! ))*(?<! )$/;
const WWW = /www\./i;

/**
 * CommonMark inline text. Backslash-escapes every character that could open markup (emphasis, code,
 * links, images, raw HTML, entities, tables, headings, list markers at the start), and breaks the GFM autolink triggers (`://`, `www.`, `@`)
 * so no link can be made from the text. Newlines are flattened: a block (heading, list, HTML block)
 * cannot be started from inside a line.
 */
export function mdText(s: string): string {
  // most outside strings (drug, gene, phenotype names) need nothing: skip the passes below for them
  if (PLAIN_WORDS.test(s) && !WWW.test(s)) return s;
  // one pass: markup characters, the ':' of '://' and the '.' of 'www.' each get a backslash
  return oneLine(s)
    .replace(/[\\`*_~[\]<>&|@!#]|:(?=\/\/)|(?<=www)\./gi, '\\$&')
    // the text may start a line (a list item's content): no list marker or thematic break there either
    .replace(/^([-+])(?=[ \-+]|$)/, '\\$1')
    .replace(/^(\d{1,9})([.)])(?= |$)/, '$1\\$2');
}

/** A CommonMark code span holding `s` verbatim (a diplotype such as `*1/*2`); empty for an empty string. */
export function mdCode(s: string): string {
  const text = oneLine(s);
  if (!text) return '';
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // a span that starts or ends with a backtick needs a space inside the fence (stripped when rendered)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const SAFE_URL = /^https?:\/\/[^\s<>"'`\\]+$/i;

/** `[text](url)` when `url` is an absolute http(s) URL, else the text alone (never a javascript:/data: link). */
export function mdLink(text: string, url: string | undefined): string {
  const label = mdText(text);
  if (!url || !SAFE_URL.test(url)) return label;
  // a destination with parentheses goes in angle brackets (SAFE_URL excludes spaces and brackets)
  const dest = /[()]/.test(url) ? `<${url}>` : url;
  return `[${label || mdText(url)}](${dest})`;
}

/**
 * Plain text for one-line fields. Angle brackets become their single-quotation look-alikes so an EHR that
 * (wrongly) inserts the field as HTML still shows text; `max` bounds an outside name so the card's own
 * words after it are not cut off by the 140-character summary limit.
 */
export function plainText(s: string, max = 80): string {
  const text = oneLine(s).replace(/</g, '‹').replace(/>/g, '›');
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
