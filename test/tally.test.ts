// The tally keeps dropped and trimmed clips on disk: what it reads back must be what a Map would have held.

import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/schema.js';
import { clipTable } from '../src/pipeline/clip-table.js';
import { tally } from '../src/pipeline/tally.js';
import { metricStats } from '../src/util/metric-stats.js';
import { spillPrefix } from '../src/util/spill.js';

const origin = (line: number) => ({ file: 'metadata.csv', line });
// Only this thread's: other test files run audits of their own at the same time.
const spills = () =>
  readdirSync(tmpdir()).filter((n) => n.startsWith(spillPrefix('dropped')) || n.startsWith(spillPrefix('trims')))
    .length;

describe('tally', () => {
  it('one dropped record a clip, in first-drop order, with every error; late drops remove trims', () => {
    const before = spills();
    // the fold's table of listed clips, which the tally marks drops and trims in
    const clips = clipTable();
    for (const id of ['a', 'b', 'c', 'd', 'e']) clips.add(id);
    const t = tally(configSchema.parse({ severity: { 'text.duplicate': 'error' } }), clips);
    expect(spills()).toBe(before + 2);
    const stats = metricStats({ exactUpTo: 100 });
    for (let i = 0; i < 10; i++) stats.push({ 'silence.leading_sec': i / 10 });
    const trimMetrics = { 'silence.trim_start_sec': 0.5, 'silence.trim_end_sec': 2 };
    const lead = { code: 'silence.leading', message: 'long lead', value: 0.8, metric: 'silence.leading_sec' };
    t.clip('a', origin(1), 3, [{ code: 'audio.corrupt', message: 'a: bad' }]);
    t.trim('b', origin(2), trimMetrics, t.clip('b', origin(2), 2, [lead]));
    t.trim('c', origin(3), trimMetrics, t.clip('c', origin(3), 4, [lead]));
    t.clip('d', origin(4), 5, [{ code: 'audio.truncated', message: 'd: cut' }]);
    // Late: a clip already dropped (a), a trimmed one (c), and one not seen dropped before.
    t.late([
      { code: 'text.duplicate', message: 'a again', clipId: 'a', origin: origin(1) },
      { code: 'text.duplicate', message: 'c dup', clipId: 'c', origin: origin(3) },
    ]);
    const r = t.finish(stats);
    expect(r.dropped.size).toBe(3);
    expect(r.dropped.durationSec).toBe(3 + 5 + 4);
    expect([...r.dropped.entries()].map(([id, d]) => [id, d.findings.map((f) => f.code)])).toEqual([
      ['a', ['audio.corrupt', 'text.duplicate']],
      ['d', ['audio.truncated']],
      ['c', ['text.duplicate']],
    ]);
    expect(r.trims.size).toBe(1);
    const trims = [...r.trims.entries()];
    expect(trims.map(([id]) => id)).toEqual(['b']);
    expect(trims[0][1].findings[0].percentile).toBeGreaterThan(70); // ranked within silence.leading_sec
    // dropped early then late (a), trimmed then dropped late (c), dropped early (d), trimmed (b), never folded (e)
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => [r.dropped.has(id), r.trims.has(id)])).toEqual([
      [true, false],
      [false, true],
      [true, false],
      [true, false],
      [false, false],
    ]);
    expect(clips.size).toBe(5);
    // Read twice: the spill is read from its start each time.
    expect([...r.dropped.entries()].length).toBe(3);
    t.close();
    t.close();
    expect(spills()).toBe(before);
  });
});
