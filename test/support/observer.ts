import type { Observer } from '../../src/cdshooks/observe';

/** An observer that records nothing: tests spread it and override the one event they look at. */
export const silentObserver: Observer = {
  hookAnswered: () => {},
  fhirFetchFailed: () => {},
  authRejected: () => {},
  fhirLeniency: () => {},
  fhirResourceDropped: () => {},
};
