/** FHIR references ("Patient/123"): built and compared in one place. */

/** The relative reference to a resource: `Patient/123`. */
export const referenceTo = (resourceType: string, id: string): string => `${resourceType}/${id}`;

/** Does `reference` point at this resource, relative (`Patient/123`) or as an absolute URL ending in it? */
export function refersTo(reference: string | undefined, resourceType: string, id: string): boolean {
  if (!reference) return false;
  const relative = referenceTo(resourceType, id);
  return reference === relative || reference.endsWith(`/${relative}`);
}
