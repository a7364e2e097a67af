/**
 * The opaque, unguessable part of a patient-explanation URL: the card's id and an HMAC over it, keyed by a
 * key derived from the pseudonym key (domain-separated, so the link never reveals a pseudonym). Nothing
 * about the patient is in the URL; without the signature a card id gives nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const PATIENT_EXPLANATION_PATH = '/patient-explanations';
const SIG_LENGTH = 22; // 132 bits of base64url

export interface LinkSigner {
  token(serviceId: string, cardUuid: string): string;
  /** the card uuid if the token is genuine for this service */
  verify(serviceId: string, token: string): string | undefined;
  url(baseUrl: string, serviceId: string, cardUuid: string): string;
}

export function linkSigner(pseudonymKey: string): LinkSigner {
  const key = createHmac('sha256', pseudonymKey).update('pbh patient-explanation link v1').digest();
  const sig = (serviceId: string, cardUuid: string) =>
    createHmac('sha256', key).update(`${serviceId}\0${cardUuid}`).digest('base64url').slice(0, SIG_LENGTH);
  const token = (serviceId: string, cardUuid: string) => `${cardUuid}.${sig(serviceId, cardUuid)}`;
  return {
    token,
    verify(serviceId, t) {
      const dot = t.lastIndexOf('.');
      if (dot <= 0) return undefined;
      const cardUuid = t.slice(0, dot);
      const given = Buffer.from(t.slice(dot + 1));
      const want = Buffer.from(sig(serviceId, cardUuid));
      return given.length === want.length && timingSafeEqual(given, want) ? cardUuid : undefined;
    },
    url: (baseUrl, serviceId, cardUuid) => `${baseUrl}${PATIENT_EXPLANATION_PATH}/${encodeURIComponent(serviceId)}/${token(serviceId, cardUuid)}`,
  };
}
