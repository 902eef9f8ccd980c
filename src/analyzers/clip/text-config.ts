import { z } from 'zod';
import { alphabetShape } from '../../text/alphabet-config.js';

export const textConfig = z.strictObject(alphabetShape).prefault({});

export type TextConfig = z.output<typeof textConfig>;
