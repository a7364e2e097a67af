/**
 * CPIC activity-score arithmetic: allele activity values ("0.25", "≥3.0", "n/a") summed into a score and
 * written the way CPIC writes lookup keys ("1.0", "1.25", "≥4.0").
 */

export interface Activity {
  value: number;
  /** "≥" scores (CYP2D6 x≥3 copies): the true value is at least `value` */
  atLeast: boolean;
}

/** Parse a CPIC activity value; undefined for "n/a" (unknown/uncertain function). */
export function parseActivity(text: string | undefined): Activity | undefined {
  if (text === undefined) return undefined;
  const m = /^(≥)?\s*(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return undefined;
  return { value: Number(m[2]), atLeast: m[1] !== undefined };
}

/** CPIC spelling: one decimal unless quarters need two ("1.0", "1.5", "1.25", "≥3.0"). */
export function formatActivity(a: Activity): string {
  const quarters = Math.round(a.value * 4);
  const text = quarters % 2 === 0 ? (quarters / 4).toFixed(1) : (quarters / 4).toFixed(2);
  return `${a.atLeast ? '≥' : ''}${text}`;
}

export function sumActivities(values: Activity[]): Activity {
  return {
    // quarter-steps: sum in integers to avoid binary fractions
    value: values.reduce((s, v) => s + Math.round(v.value * 4), 0) / 4,
    atLeast: values.some((v) => v.atLeast && v.value > 0),
  };
}

/** "*1 (1.0) + *41 (0.25) = 1.25" */
export function activityArithmetic(parts: { name: string; activityValue: string }[], total: string): string {
  return `${parts.map((p) => `${p.name} (${p.activityValue})`).join(' + ')} = ${total}`;
}
