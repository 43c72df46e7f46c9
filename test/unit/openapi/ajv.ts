/**
 * Ajv (JSON Schema 2020-12, with formats) loaded with the OpenAPI document, so a test can validate
 * a value against any schema of it by JSON pointer: `validator('#/components/schemas/Segment')`.
 * OpenAPI's own keywords (discriminator, example) and the document's `x-` extensions are declared
 * as annotations; anything else unknown still fails in strict mode.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const DOC_ID = 'https://segmented-push.invalid/openapi.json';

/** Every `x-…` key anywhere in the document. */
function extensions(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => extensions(n, into));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('x-')) into.add(k);
      extensions(v, into);
    }
  }
  return into;
}

/** Validators of the document's schemas: by JSON pointer to a component, or for a schema object found in it. */
export interface DocumentValidator {
  /** A component schema, e.g. `#/components/schemas/Segment`. */
  (pointer: string): ValidateFunction;
  /** A schema object taken from the document (a response's or parameter's schema); its `#/…` references resolve from the document. */
  schema(schema: unknown): ValidateFunction;
}

/** Rewrites the document-relative `$ref`s of a schema taken out of the document. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? DOC_ID + v : rebase(v)]),
  );
}

export function documentValidator(doc: unknown): DocumentValidator {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addVocabulary(['discriminator', 'example', 'components', ...extensions(doc)]);
  // The document is not a schema itself: its components are registered under one id so the
  // document's own `#/components/...` references resolve from its root.
  ajv.addSchema({ $id: DOC_ID, components: (doc as { components: unknown }).components } as object);
  const cache = new Map<string, ValidateFunction>();
  const compile = (schema: unknown): ValidateFunction => {
    const key = JSON.stringify(schema);
    let v = cache.get(key);
    if (!v) cache.set(key, (v = ajv.compile(rebase(schema) as object)));
    return v;
  };
  const byPointer = ((pointer: string) => compile({ $ref: pointer })) as DocumentValidator;
  byPointer.schema = compile;
  return byPointer;
}

/** Ajv's errors, short enough for a failure message. */
export const ajvErrors = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
