import { expect } from 'vitest';
import { DecodeError } from '../../src/audio/errors.js';

/** The DecodeError a decode must reject with; fails the test on a result or another error. */
export async function rejection(promise: Promise<unknown>): Promise<DecodeError> {
  const err = await promise.then(
    () => new Error('expected a DecodeError, got a result'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DecodeError);
  return err as DecodeError;
}
