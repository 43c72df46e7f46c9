/** Opaque list cursors: the DynamoDB LastEvaluatedKey, base64url-encoded and checked on the way back. */
import { InvalidCursorError } from '../../../ports/segment-store';
import type { Key } from './table';

export function encodeCursor(key: Key | undefined): string | null {
  return key ? Buffer.from(JSON.stringify({ pk: key.pk, sk: key.sk })).toString('base64url') : null;
}

/** Decode a cursor that must belong to partition `pk`. */
export function decodeCursor(cursor: string | undefined, pk: string): Key | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (key && key.pk === pk && typeof key.sk === 'string') return { pk: key.pk, sk: key.sk };
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not valid');
}
