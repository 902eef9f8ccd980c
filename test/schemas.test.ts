import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReadme, renderSchemas } from '../scripts/export-schemas.js';
import { configSchema } from '../src/config/schema.js';
import { ROOT } from './helpers/run.js';

describe('exported JSON Schemas and the README thresholds table', () => {
  it.each(Object.entries(renderSchemas()))('%s is current (run `npm run schemas`)', (path, text) => {
    expect(readFileSync(join(ROOT, path), 'utf8')).toBe(text);
  });

  it('README.md thresholds table is current (run `npm run schemas`)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(renderReadme(readme)).toBe(readme);
  });

  it('the example config in the repository validates', () => {
    const example = JSON.parse(readFileSync(join(ROOT, 'tts-audit.config.json'), 'utf8'));
    expect(configSchema.safeParse(example).success).toBe(true);
  });

  it('every default is a real value a user can see in the schema', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'config.schema.json'), 'utf8'));
    const silence = schema.properties.analyzers.properties.silence.properties;
    expect(silence.maxLeadingSec.default).toBe(configSchema.parse({}).analyzers.silence.maxLeadingSec);
  });
});
