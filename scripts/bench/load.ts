// The audit the benchmark measures: the built package when there is one (what users run; its workers load plain
// JavaScript, where workers started from the TypeScript sources first compile every module through tsx, ~1 s
// each), else the sources.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { audit as auditFn } from '../../src/index.js';

const DIST = resolve(import.meta.dirname, '..', '..', 'dist', 'index.js');
export const fromDist = existsSync(DIST);
export const { audit } = (await import(fromDist ? DIST : '../../src/index.js')) as { audit: typeof auditFn };
