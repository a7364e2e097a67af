/** Validate bodies in tests against the same JSON Schemas the service publishes (profiles/cds-hooks). */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { loadSchemas } from '../../src/http/schemas';

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
for (const s of loadSchemas().values()) ajv.addSchema(s);

export function schemaErrors(file: string, data: unknown): string[] {
  const schema = [...loadSchemas().entries()].find(([f]) => f === file)?.[1];
  if (!schema) throw new Error(`no schema ${file}`);
  const validate = ajv.getSchema(schema.$id)!;
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
