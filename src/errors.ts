/**
 * An error in what the user gave (a path, a config, a dataset that cannot be reached): the CLI prints
 * its message and exits 2. Anything else is a bug and keeps its stack.
 */
export class InputError extends Error {
  override name = 'InputError';
}
