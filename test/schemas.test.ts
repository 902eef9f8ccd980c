import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDINGS_DOC, renderFindingsDoc, renderSchemas } from '../scripts/export-schemas.js';
import { configSchema } from '../src/config/schema.js';
import { ROOT } from './helpers/run.js';

describe('exported JSON Schemas and docs/findings.md', () => {
  it.each(Object.entries(renderSchemas()))('%s is current (run `npm run schemas`)', (path, text) => {
    expect(readFileSync(join(ROOT, path), 'utf8')).toBe(text);
  });

  it(`${FINDINGS_DOC} is current (run \`npm run schemas\`)`, () => {
    expect(readFileSync(join(ROOT, FINDINGS_DOC), 'utf8')).toBe(renderFindingsDoc());
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

  it('refuses a misspelt setting at every level, naming its path, instead of silently using the default', () => {
    for (const [input, path] of [
      [{ analyzers: { noise: { minSnrDB: 20 } } }, 'analyzers.noise'],
      [{ analyzers: { totals: { anything: 1 } } }, 'analyzers.totals'],
      [{ analyzers: { text: { leters: {} } } }, 'analyzers.text'],
      [{ gate: { minSpeaker: 3 } }, 'gate'],
      [{ analyzer: {} }, ''],
    ] as const) {
      const r = configSchema.safeParse(input);
      expect(r.success, JSON.stringify(input)).toBe(false);
      const issue = r.error!.issues[0];
      expect(issue.code).toBe('unrecognized_keys');
      expect(issue.path.join('.')).toBe(path);
    }
  });
});
