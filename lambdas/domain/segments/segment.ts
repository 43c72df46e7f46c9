/** A saved segment: a name and a definition, versioned for optimistic concurrency. */
import * as z from 'zod';
import { ValidationError } from '../errors';
import { formatZodIssues } from '../validation';
import { parseSegmentDefinition, type SegmentDefinition } from './criteria';

export interface Segment extends SegmentDefinition {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Name and description of a segment (the definition has its own schema). */
export const segmentMetaSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  description: z.string().max(1000, 'must be at most 1000 characters').nullish(),
});

/** Body of POST/PUT /v1/segments: name, description, match, criteria (all errors reported together). */
export function parseSegmentInput(input: unknown): { name: string; description: string | null; definition: SegmentDefinition } {
  const obj = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : undefined) as
    Record<string, unknown> | undefined;
  if (!obj) throw new ValidationError('(body): must be an object', [{ path: '(body)', message: 'must be an object' }]);
  const { name, description, ...definition } = obj;
  const meta = segmentMetaSchema.safeParse({ name, description });
  let def: SegmentDefinition | undefined;
  let defError: ValidationError | undefined;
  try {
    def = parseSegmentDefinition(definition);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    defError = err;
  }
  const details = [...(meta.success ? [] : formatZodIssues(meta.error)), ...(defError?.details ?? [])];
  if (details.length > 0 || !def || !meta.success) {
    throw new ValidationError(`${details[0].path}: ${details[0].message}`, details);
  }
  return { name: meta.data.name, description: meta.data.description ?? null, definition: def };
}

/** The segment as the API shows it. */
export function publicSegment(s: Segment) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    match: s.match,
    criteria: s.criteria,
    version: s.version,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}
