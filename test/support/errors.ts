/** Test helper: the ValidationError a call throws (fails the test if it throws nothing or something else). */
import { ValidationError } from '../../lambdas/domain/errors';

export function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}
