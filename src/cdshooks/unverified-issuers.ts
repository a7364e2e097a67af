/**
 * Issuers of signed calls that were answered without verification (demo profile only: the issuer is not
 * in PBH_TRUSTED_ISSUERS, so its token cannot be checked offline). Kept so that each issuer is logged
 * once, counted under a bounded label, and listed on the playground. Bounded: past `max` issuers, further
 * ones are only counted as "other" — a caller inventing issuers cannot grow memory or metric series.
 */
export interface UnverifiedIssuerSeen {
  iss: string;
  firstSeen: string;
  lastSeen: string;
  calls: number;
}

/** Printable ASCII without quotes or backslashes: safe as a log field, a metric label and page text. */
const SHOWABLE = /^[\x21\x23-\x5b\x5d-\x7e]{1,200}$/;

export class UnverifiedIssuers {
  private readonly seen = new Map<string, UnverifiedIssuerSeen>();
  private others = 0;

  constructor(private readonly max = 20) {}

  /**
   * Note one call. `first` is true the first time an issuer is seen (log it then, and only then);
   * `label` is the issuer itself when it is tracked, else "other".
   */
  record(iss: string, now: Date): { first: boolean; label: string } {
    const at = now.toISOString();
    const known = this.seen.get(iss);
    if (known) {
      known.calls += 1;
      known.lastSeen = at;
      return { first: false, label: iss };
    }
    if (this.seen.size >= this.max || !SHOWABLE.test(iss)) {
      this.others += 1;
      return { first: this.others === 1, label: 'other' };
    }
    this.seen.set(iss, { iss, firstSeen: at, lastSeen: at, calls: 1 });
    return { first: true, label: iss };
  }

  list(): { issuers: UnverifiedIssuerSeen[]; otherCalls: number } {
    return { issuers: [...this.seen.values()].map((s) => ({ ...s })), otherCalls: this.others };
  }
}
