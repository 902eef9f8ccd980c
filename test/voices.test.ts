import { beforeAll, describe, expect, it } from 'vitest';
import type { ClipResult } from '../src/types.js';
import { clipResult, concatenate, foldVoices, pieces, realClips, type RealClip } from './helpers/voice-cases.js';

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

  it('flags two speakers concatenated in one clip', () => {
    const a = clips.find((c) => c.id === 'LJ001-0002')!;
    const b = clips.find((c) => c.id === 'p226_003')!;
    const joined = clipResult(concatenate(a.audio, b.audio), 'joined', 'LJ', 'F');
    expect(codes(joined)).toContain('voice.two_voices');
    expect(joined.metrics['voice.change_semitones']).toBeLessThan(-6);
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
