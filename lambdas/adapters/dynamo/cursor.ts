/** Opaque list cursors: the DynamoDB LastEvaluatedKey, base64url-encoded and checked on the way back. */
import { InvalidCursorError } from '../../ports/segment-store';
import type { Key } from './table';

export function encodeCursor(key: Key | undefined): string | null {
  return key ? Buffer.from(JSON.stringify({ pk: key.pk, sk: key.sk })).toString('base64url') : null;
}

/** Decode a cursor that must belong to partition `pk` (and, when given, to sort keys starting with `skPrefix`). */
export function decodeCursor(cursor: string | undefined, pk: string, skPrefix = ''): Key | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // A crafted sk (empty, outside the query's begins_with range, or over DynamoDB's 1 KiB key limit)
    // would fail the query itself: refuse it here.
    const skOk = typeof key?.sk === 'string' && key.sk.length > 0 && key.sk.startsWith(skPrefix) && Buffer.byteLength(key.sk) <= 1024;
    if (key && key.pk === pk && skOk) return { pk: key.pk, sk: key.sk };
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not valid');
}
