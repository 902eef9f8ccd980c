import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { prosody } from '../src/analyzers/clip/prosody.js';
import { prosodyConfig } from '../src/analyzers/clip/prosody-config.js';
import { contourOf, finalMovement, speechSegments, theilSen, voicedInSpeech } from '../src/features/prosody.js';
import { sentenceType } from '../src/text/sentences.js';
import { clipContext, decode } from './helpers/audio.js';
import { contourCase, contourSet, syllables, voiceTone } from './helpers/prosody-cases.js';
import { referencePitch } from './helpers/pitch-reference.js';
import { REAL, tempDir } from './helpers/run.js';
import { realClips, type RealClip } from './helpers/voice-cases.js';

const CONFIG = prosodyConfig.parse(undefined);

/** The prosody analyzer alone over decoded audio, with a transcript. */
function run(audio: Parameters<typeof clipContext>[0], text = 'a test sentence.', gender?: string) {
  const ctx = clipContext(audio, CONFIG);
  return prosody.analyze({ ...ctx, utterance: { ...ctx.utterance, text, gender } });
}

describe('prosody on synthetic voices with known contours', () => {
  it('measures the final movement of glides: its direction, size and slope', () => {
    for (const baseHz of [110, 210]) {
      for (const [shape, st] of [
        ['rise', 4],
        ['fall', 4],
        ['rise', 8],
        ['fall', 2],
      ] as const) {
        const c = contourCase(shape, baseHz, st);
        const r = run(c.audio);
        expect(r.annotations?.['prosody.final'], c.name).toBe(c.expected);
        // The glide takes 0.35 s: its change is ±st, within 30 % (a fall's line also spans the declination before
        // it), and its fitted slope st / 0.35, within 25 %.
        expect(Math.abs(r.metrics['prosody.final_change_st'] - c.changeSt), c.name).toBeLessThan(0.3 * st + 0.3);
        const slope = r.metrics['prosody.final_slope_st_per_sec'];
        expect(Math.abs(slope - c.changeSt / 0.35), c.name).toBeLessThan((0.25 * st) / 0.35);
      }
    }
  });

  it('finds a question’s rise after its low, and a statement’s fall after its peak', () => {
    const rise = run(contourCase('dip-rise', 210, 4).audio, 'Is it raining?');
    expect(rise.annotations?.['prosody.final']).toBe('rise');
    expect(rise.findings).toEqual([]);
    const fall = run(contourCase('peak-fall', 110, 4).audio, 'It is raining?');
    expect(fall.annotations?.['prosody.final']).toBe('fall');
    expect(fall.findings.map((f) => f.code)).toEqual(['prosody.question_falls']);
    expect(fall.findings[0].message).toContain('falls');
  });

  it('calls a gently declining end flat, and flags a question read so', () => {
    const flat = run(contourCase('flat', 210, 0).audio, '¿Vas a la playa mañana');
    expect(flat.annotations?.['prosody.final']).toBe('flat');
    expect(flat.findings.map((f) => f.code)).toEqual(['prosody.question_falls']);
    expect(flat.findings[0].message).toContain('stays flat');
  });

  it('flags a statement whose end rises strongly, and not one that rises a little', () => {
    const strong = run(contourCase('rise', 210, 5).audio, 'It is raining.');
    expect(strong.findings.map((f) => f.code)).toEqual(['prosody.statement_rises']);
    const small = run(contourCase('rise', 210, 2).audio, 'It is raining.');
    expect(small.annotations?.['prosody.final']).toBe('rise');
    expect(small.findings).toEqual([]);
  });

  it('scores every case of the benchmark’s synthetic set right', () => {
    const wrong = contourSet()
      .map((c) => ({ c, got: run(c.audio).annotations?.['prosody.final'] }))
      .filter(({ c, got }) => got !== c.expected)
      .map(({ c, got }) => `${c.name}: ${got}`);
    expect(wrong).toEqual([]);
  });

  it('measures F0 spread in semitones: a ±3 st vibrato spreads ≈ 3.1 st, a ±0.3 st one is monotone', () => {
    // For a sinusoid of amplitude A, 1.4826 × MAD = 1.4826 · A · sin(π/4) ≈ 1.048 A; p5–p95 = 2A · sin(0.45π).
    const wave = (a: number) =>
      voiceTone({
        seconds: 3,
        f0: (t) => 180 * 2 ** ((a * Math.sin(2 * Math.PI * 0.7 * t)) / 12),
        envelope: syllables(4),
      });
    const lively = run(wave(3));
    expect(lively.metrics['prosody.f0_spread_st']).toBeGreaterThan(2.9);
    expect(lively.metrics['prosody.f0_spread_st']).toBeLessThan(3.4);
    expect(lively.metrics['prosody.f0_range_st']).toBeCloseTo(2 * 3 * Math.sin(0.45 * Math.PI), 0);
    expect(lively.findings.map((f) => f.code)).not.toContain('prosody.monotone');
    const flat = run(wave(0.3));
    expect(flat.metrics['prosody.f0_spread_st']).toBeLessThan(0.4);
    const monotone = flat.findings.find((f) => f.code === 'prosody.monotone')!;
    expect(monotone.threshold).toBe(CONFIG.monotoneFemaleSt); // 180 Hz, no label: estimated female
    expect(monotone.message).toContain('estimated');
    // A label wins over the estimate.
    const labelled = run(wave(0.3), 'a test sentence.', 'M').findings.find((f) => f.code === 'prosody.monotone')!;
    expect(labelled.threshold).toBe(CONFIG.monotoneMaleSt);
  });

  it('counts syllables per phrase: 4/s then 6/s across a pause is a pace spread of 0.2', () => {
    const seconds = 3.6;
    const audio = voiceTone({
      seconds,
      f0: () => 150,
      envelope: (t) => (t < 1.5 ? syllables(4)(t) : t < 2.1 ? 0 : syllables(6)(t - 2.1)),
    });
    const r = run(audio);
    expect(r.metrics['prosody.syllable_rate']).toBeGreaterThan(4.5);
    expect(r.metrics['prosody.syllable_rate']).toBeLessThan(5.5);
    expect(r.metrics['prosody.pace_spread']).toBeGreaterThan(0.15);
    expect(r.metrics['prosody.pace_spread']).toBeLessThan(0.25);
    const even = voiceTone({ seconds, f0: () => 150, envelope: (t) => (t < 1.5 || t >= 2.1 ? syllables(5)(t) : 0) });
    expect(run(even).metrics['prosody.pace_spread']).toBeLessThan(0.05);
  });

  it('fits a robust line: a few wild points do not tilt it', () => {
    const t = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const y = t.map((x) => 2 * x + 1);
    y[3] = 40;
    y[7] = -30;
    expect(theilSen(t, y)).toBeCloseTo(2, 6);
  });
});

describe('questions from the transcript', () => {
  it('reads ?, ¿…? and a lost closing mark as questions', () => {
    expect(sentenceType('Is it raining?')).toBe('question');
    expect(sentenceType('¿Vas a la playa mañana?')).toBe('question');
    expect(sentenceType('¿Vas a la playa mañana')).toBe('question');
    expect(sentenceType('"Really?" she asked?')).toBe('question');
    expect(sentenceType('It is raining.')).toBe('statement');
  });
});

describe('prosody on real speech', () => {
  let clips: RealClip[];
  beforeAll(async () => {
    clips = await realClips();
  });

  it('calls no real reader monotone, and measures the real statements mostly falling', () => {
    const contours: Record<string, number> = { rise: 0, fall: 0, flat: 0 };
    for (const c of clips) {
      const r = run(c.audio, 'A read statement.', c.gender);
      expect(
        r.findings.filter((f) => f.code === 'prosody.monotone'),
        c.id,
      ).toEqual([]);
      expect(r.metrics['prosody.f0_spread_st'], c.id).toBeGreaterThan(0.9);
      contours[r.annotations?.['prosody.final'] ?? 'none'] += 1;
    }
    // LJSpeech's first clips end three times with a steep rise (LJ001-0001, -0003, -0006: +9 to +18 semitones,
    // which the autocorrelation tracker below sees as well); two more small rises (LJ001-0005, -0007: +2.3, +1.5)
    // are where that tracker hears a fall in weak final frames. VCTK's read sentences fall.
    expect(contours).toEqual({ rise: 5, fall: 11, flat: 2 });
  });

  it('counts about four in five of the transcript’s syllables as nuclei (LJSpeech)', () => {
    const lines = readFileSync(join(REAL, 'ljspeech', 'metadata.csv'), 'utf8')
      .trim()
      .split('\n');
    const texts = Object.fromEntries(lines.map((l) => [l.split('|')[0], l.split('|')[2]]));
    // Vowel groups per word (a silent final e dropped): a rough syllable count, good to ±10 % on English prose.
    const syllableCount = (t: string) =>
      t
        .toLowerCase()
        .split(/[^a-z]+/)
        .filter(Boolean)
        .reduce((sum, w) => sum + Math.max(1, (w.replace(/e$/, '').match(/[aeiouy]+/g) ?? []).length), 0);
    const ratios = clips
      .filter((c) => c.speaker === 'LJ')
      .map((c) => {
        const ctx = clipContext(c.audio, CONFIG);
        const rate = run(c.audio).metrics['prosody.syllable_rate'];
        let sec = 0;
        for (const [a, b] of speechSegments(ctx.speech.isSpeech, ctx.features.hopSec, CONFIG.minPauseSec)) {
          if ((b - a) * ctx.features.hopSec >= CONFIG.minSegmentSec) sec += (b - a) * ctx.features.hopSec;
        }
        return (rate * sec) / syllableCount(texts[c.id]);
      });
    expect(ratios).toHaveLength(7);
    // 0.70–0.97, mean 0.81 on 2026-11-30: unstressed syllables merge into their neighbours' peaks.
    expect(Math.min(...ratios)).toBeGreaterThan(0.6);
    expect(Math.max(...ratios)).toBeLessThan(1.05);
    const mean = ratios.reduce((s, r) => s + r, 0) / ratios.length;
    expect(mean).toBeGreaterThan(0.7);
    expect(mean).toBeLessThan(0.9);
  });

  it('agrees with an autocorrelation pitch tracker (Boersma 1993) on most real final contours', () => {
    let agree = 0;
    const disagreements: string[] = [];
    for (const c of clips) {
      const ctx = clipContext(c.audio, CONFIG);
      const input = {
        pitch: ctx.features.pitch,
        rmsDb: ctx.features.rmsDb,
        hopSec: ctx.features.hopSec,
        isSpeech: ctx.speech.isSpeech,
      };
      const ref = referencePitch(c.audio.samples, c.audio.sampleRate, ctx.features.pitch.frameSec);
      const f0Hz = Float32Array.from(ref.f0Hz);
      const pitch = { ...ctx.features.pitch, f0Hz, aperiodicity: new Float32Array(f0Hz.length) };
      const ours = finalMovement(input, voicedInSpeech(input, CONFIG.maxFromMedianSt), CONFIG);
      const theirs = finalMovement(
        { ...input, pitch },
        voicedInSpeech({ ...input, pitch }, CONFIG.maxFromMedianSt),
        CONFIG,
      );
      const kind = (m: typeof ours) => (m ? contourOf(m.changeSt, m.slope, CONFIG) : 'none');
      if (kind(ours) === kind(theirs)) agree++;
      else disagreements.push(`${c.id}: ${kind(ours)} / ${kind(theirs)}`);
    }
    // 14 of 18 on 2026-11-30: the misses are weak final frames YIN leaves unvoiced (LJ001-0007 ends on a comma).
    expect(agree, disagreements.join('; ')).toBeGreaterThanOrEqual(13);
  });

  it('hears espeak-ng’s questions end higher than the same sentences as statements', async () => {
    const dir = tempDir('prosody-espeak-');
    const pairs: [string, string, string][] = [
      ['en-us', 'It is raining.', 'Is it raining?'],
      ['en-us', 'You are coming with us tomorrow.', 'Are you coming with us tomorrow?'],
      ['en-us', 'She has finished her homework.', 'Has she finished her homework?'],
      ['en-us', 'You saw the game last night.', 'Did you see the game last night?'],
      ['en-us', 'The train leaves at noon.', 'The train leaves at noon?'],
      ['es', 'Tienes hambre.', '¿Tienes hambre?'],
      ['es', 'Vas a la playa mañana.', '¿Vas a la playa mañana?'],
    ];
    let rising = 0;
    for (const [i, [voice, statement, question]] of pairs.entries()) {
      const render = (text: string, name: string) => {
        const file = join(dir, `${i}-${name}.wav`);
        execFileSync('espeak-ng', ['-v', voice, '-w', file, text]);
        return decode(file).then((audio) => run(audio, text));
      };
      const s = await render(statement, 's');
      const q = await render(question, 'q');
      expect(s.annotations?.['prosody.final'], statement).toBe('fall');
      const gap = q.metrics['prosody.final_change_st'] - s.metrics['prosody.final_change_st'];
      expect(gap, question).toBeGreaterThan(2);
      if (q.annotations?.['prosody.final'] === 'rise') rising++;
    }
    // 4 of 7 rise here; the others' rise sits in weak final frames that YIN leaves unvoiced (the autocorrelation
    // tracker sees it: "Has she finished her homework?" 81 → 103 Hz over its last 200 ms).
    expect(rising).toBeGreaterThanOrEqual(3);
  });
});
