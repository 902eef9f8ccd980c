import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit, type AuditReport } from '../src/index.js';
import type { ClipResult } from '../src/types.js';
import {
  clipResult,
  concatenate,
  foldVoices,
  pieces,
  realClips,
  unlabelledClips,
  type RealClip,
} from './helpers/voice-cases.js';
import { sox } from './helpers/audio.js';
import { REAL, tempDir } from './helpers/run.js';

const codes = (r: ClipResult) => r.findings.map((f) => f.code);
const VOICE_CODES = ['pitch.gender_mismatch', 'voice.two_voices'];

describe('voices on real clips of both genders, and on cases built from them', () => {
  let clips: RealClip[];
  let results: ClipResult[];
  beforeAll(async () => {
    clips = await realClips();
    results = clips.map((c) => clipResult(c.audio, c.id, c.speaker, c.gender));
  });

  it('flags no real clip (LJSpeech, VCTK 0.80 and 0.92, both genders)', () => {
    expect(new Set(clips.map((c) => c.gender))).toEqual(new Set(['M', 'F']));
    for (const r of results) {
      expect(r.metrics['pitch.median_hz'], r.id).toBeGreaterThan(0);
      expect(
        codes(r).filter((c) => VOICE_CODES.includes(c)),
        r.id,
      ).toEqual([]);
    }
    expect(foldVoices(results).clipFindings.map((f) => f.message)).toEqual([]);
  });

  it('flags no real LibriTTS or MLS clip under its own speaker id (their gender labels are not here)', async () => {
    const other = await unlabelledClips();
    expect(other.map((c) => c.id.slice(0, 4)).sort()).toEqual(['1369', '5639', '8455', '8463']);
    const mine = other.map((c) => clipResult(c.audio, c.id, c.speaker));
    for (const r of mine) {
      expect(r.metrics['pitch.median_hz'], r.id).toBeGreaterThan(0);
      expect(
        codes(r).filter((c) => VOICE_CODES.includes(c)),
        r.id,
      ).toEqual([]);
    }
    // Every real clip at once, each under its own speaker: no dataset-level voice finding either.
    expect(foldVoices([...results, ...mine]).clipFindings.map((f) => f.message)).toEqual([]);
  });

  it('flags an MLS Spanish clip spliced with a VCTK man as two voices in one clip', async () => {
    const mls = (await unlabelledClips()).find((c) => c.id.startsWith('13697'))!;
    const male = clips.find((c) => c.id === 'p226_003')!;
    const joined = clipResult(concatenate(mls.audio, male.audio), 'mls-joined', '13697');
    expect(codes(joined)).toContain('voice.two_voices');
  });

  it('keeps the margin: real male medians stay under, female ones over, the limits by ≥ 3 semitones', () => {
    const st = (a: number, b: number) => 12 * Math.log2(a / b);
    for (const r of results) {
      const hz = r.metrics['pitch.median_hz'];
      if (r.gender === 'M') expect(st(180, hz), r.id).toBeGreaterThan(3);
      else expect(st(hz, 140), r.id).toBeGreaterThan(2.9);
    }
  });

  it('flags a clip of the other gender filed under a speaker', () => {
    const lj = clips.find((c) => c.id === 'LJ001-0004')!;
    const male = clips.find((c) => c.id === 'p226_003')!;
    const asMale = clipResult(lj.audio, 'x1', 'p226', 'M');
    const asFemale = clipResult(male.audio, 'x2', 'p225', 'F');
    expect(codes(asMale)).toContain('pitch.gender_mismatch');
    expect(codes(asFemale)).toContain('pitch.gender_mismatch');
    const f = asMale.findings.find((x) => x.code === 'pitch.gender_mismatch')!;
    expect(f.threshold).toBe(180);
    expect(f.message).toContain('labelled M');
  });

  it("flags a clip whose voice is unlike the rest of its speaker's clips", () => {
    const lj = clips.filter((c) => c.speaker === 'LJ');
    const own = lj.flatMap((c) => pieces(c.audio, 2.5).map((a, i) => clipResult(a, `${c.id}-${i}`, 'LJ', 'F')));
    expect(foldVoices(own).clipFindings).toEqual([]);
    const stranger = clips.find((c) => c.id === 'p226_003')!;
    const outcome = foldVoices([...own, clipResult(pieces(stranger.audio, 2.5)[0], 'stranger', 'LJ', 'F')]);
    const flagged = outcome.clipFindings.filter((f) => f.code === 'voices.unlike_speaker');
    expect(flagged.map((f) => f.clipId)).toEqual(['stranger']);
    expect(flagged[0].value).toBeGreaterThan(1.8);
    expect(outcome.summary.perSpeaker.LJ.flaggedClips).toBe(1);
    expect(outcome.summary.shareOfHoursAffected).toBeGreaterThan(0);
  });

  it('compares speakers from 5 clips: each clip against the other four, a wider limit, and says who was too small', () => {
    const lj = results.filter((r) => r.speaker === 'LJ');
    expect(lj.length).toBe(7);
    // Every 5- and 6-clip subset of LJSpeech's real clips: none flagged.
    const subsets = (n: number, from = 0): ClipResult[][] =>
      n === 0 ? [[]] : lj.slice(from).flatMap((r, i) => subsets(n - 1, from + i + 1).map((rest) => [r, ...rest]));
    for (const own of [...subsets(5), ...subsets(6)]) {
      const outcome = foldVoices(own);
      expect(outcome.clipFindings, own.map((r) => r.id).join(' ')).toEqual([]);
      expect(outcome.summary.perSpeaker.LJ.comparison).toBe('leave one out');
      expect(outcome.summary.speakersScored).toBe(1);
    }
    // Four of hers and one man's: the man is the one flagged, against the limit for small speakers.
    const male = results.find((r) => r.id === 'p226_003')!;
    const outcome = foldVoices([...lj.slice(0, 4), { ...male, speaker: 'LJ', gender: 'F' }]);
    const unlike = outcome.clipFindings.filter((f) => f.code === 'voices.unlike_speaker');
    expect(unlike.map((f) => f.clipId)).toEqual(['p226_003']);
    expect(unlike[0].threshold).toBe(3.5);
    expect(unlike[0].message).toContain('other clips');
    // Four clips: not compared, and counted as such.
    const four = foldVoices(lj.slice(0, 4));
    expect(four.summary.perSpeaker.LJ.comparison).toBe('too few clips');
    expect(four.summary.speakersTooSmall).toBe(1);
    expect(four.summary.speakersScored).toBe(0);
  });

  it('flags two speakers concatenated in one clip', () => {
    const a = clips.find((c) => c.id === 'LJ001-0002')!;
    const b = clips.find((c) => c.id === 'p226_003')!;
    const joined = clipResult(concatenate(a.audio, b.audio), 'joined', 'LJ', 'F');
    expect(codes(joined)).toContain('voice.two_voices');
    expect(joined.metrics['voice.change_semitones']).toBeLessThan(-6);
  });

  it('flags two women spliced in one clip, and no splice of two clips of one woman', () => {
    const a = clips.find((c) => c.id === 'LJ001-0006')!;
    const b = clips.find((c) => c.id === 'p314_272')!;
    expect([a.gender, b.gender]).toEqual(['F', 'F']);
    expect(codes(clipResult(concatenate(a.audio, b.audio), 'women', 'LJ', 'F'))).toContain('voice.two_voices');
    const lj = clips.filter((c) => c.speaker === 'LJ');
    for (let i = 0; i < lj.length; i++) {
      for (const [x, y] of [
        [lj[i], lj[(i + 1) % lj.length]],
        [lj[(i + 1) % lj.length], lj[i]],
      ]) {
        const r = clipResult(concatenate(x.audio, y.audio), `${x.id}+${y.id}`, 'LJ', 'F');
        expect(codes(r), r.id).not.toContain('voice.two_voices');
      }
    }
  });

  it('flags a speaker id holding two real voices (two pitch groups)', () => {
    const mixed = results
      .filter((r) => r.speaker === 'LJ' || r.speaker === 'p226')
      .map((r) => ({ ...r, speaker: 'LJ', gender: 'F' }));
    const outcome = foldVoices(mixed);
    const grouped = outcome.clipFindings.filter((f) => f.code === 'voices.pitch_group').map((f) => f.clipId);
    expect(grouped.sort()).toEqual(['p226_001_mic1', 'p226_003']);
    expect(outcome.summary.perSpeaker.LJ.issues.join(' ')).toContain('two voices under one id');
  });

  it('flags a speaker whose median contradicts its label', () => {
    const male = results.filter((r) => r.gender === 'M').map((r) => ({ ...r, speaker: 'm', gender: 'F' }));
    const outcome = foldVoices(male);
    expect(outcome.clipFindings.filter((f) => f.code === 'voices.speaker_gender')).toHaveLength(male.length);
    expect(outcome.summary.perSpeaker.m.issues[0]).toContain('sounds male');
  });
});

describe('the voices section of the reports', () => {
  let report: AuditReport;
  let out: string;
  beforeAll(async () => {
    // LJSpeech's real clips plus a male VCTK clip filed as LJSpeech's (one woman's) in the same layout.
    const root = tempDir();
    mkdirSync(join(root, 'wavs'));
    for (const f of readdirSync(join(REAL, 'ljspeech', 'wavs'))) {
      copyFileSync(join(REAL, 'ljspeech', 'wavs', f), join(root, 'wavs', f));
    }
    sox([
      join(REAL, 'vctk-0.80', 'wav48', 'p226', 'p226_003.wav'),
      '-r',
      '22050',
      join(root, 'wavs', 'LJ009-0001.wav'),
    ]);
    const rows = readFileSync(join(REAL, 'ljspeech', 'metadata.csv'), 'utf8');
    writeFileSync(
      join(root, 'metadata.csv'),
      `${rows.trimEnd()}\nLJ009-0001|Six spoons of fresh snow peas.|Six spoons of fresh snow peas.\n`,
    );
    out = tempDir();
    ({ report } = await audit({ source: root, out }));
  });

  it('reports the F0 range per speaker and the hours affected in report.json', () => {
    const v = report.dataset.voices!;
    expect(v.perSpeaker.LJ.clips).toBe(8);
    expect(v.perSpeaker.LJ.medianHz).toBeGreaterThan(190);
    expect(v.perSpeaker.LJ.flaggedClips).toBe(1);
    expect(v.shareOfHoursAffected).toBeGreaterThan(0.05);
    expect(v.shareOfHoursAffected).toBeLessThan(0.3);
    expect(report.findings['pitch.gender_mismatch'].clips).toBe(1);
    expect(report.findings['pitch.gender_mismatch'].worst[0].clipId).toBe('LJ009-0001');
  });

  it('shows a table in report.md and a chart in report.html', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Voices');
    expect(md).toMatch(/\| LJ \| F \| 8 \| 2\d\d \| \d+–\d+ \| 1 \|/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const section = html.slice(
      html.indexOf('<section id="voices">'),
      html.indexOf('</section>', html.indexOf('<section id="voices">')),
    );
    expect(section).toContain('<svg');
    expect(section).toContain('F0 range per speaker');
    expect(section).toMatch(/<td class="data">LJ<\/td><td>8<\/td><td>1<\/td>/);
  });
});
