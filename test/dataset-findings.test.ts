// Findings only the whole set shows reach every clip they concern, not only the ten the reports list.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/index.js';
import { DATASET_FINDINGS_FILE, type DatasetFindingsLine } from '../src/outputs/dataset-findings.js';
import { tempDir } from './helpers/run.js';
import { tiledLjSpeech } from './helpers/tiles.js';

describe('dataset-findings.jsonl', () => {
  it('holds every dataset-level finding on its clip, as many as the report counts', async () => {
    const work = tempDir('tts-audit-late-');
    const root = await tiledLjSpeech(join(work, 'set'), 3); // each transcript three times
    const out = join(work, 'out');
    const { report, files } = await audit({ source: root, out, jobs: 1 });
    expect(files).toContain(DATASET_FINDINGS_FILE);
    const lines = readFileSync(join(out, DATASET_FINDINGS_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as DatasetFindingsLine);
    const withDuplicate = lines.filter((l) => l.findings.some((f) => f.code === 'text.duplicate'));
    expect(withDuplicate.length).toBe(report.findings['text.duplicate'].clips);
    expect(withDuplicate.length).toBe(14); // the second and third tile of each of the 7 transcripts
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    const clipIds = new Set(
      readFileSync(join(out, 'clips.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id),
    );
    for (const l of lines) expect(clipIds.has(l.id)).toBe(true);
    expect(withDuplicate.every((l) => l.origin?.file === 'metadata.csv')).toBe(true);
  });
});
