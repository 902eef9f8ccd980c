import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHubFixtures, type HubFixtures } from '../scripts/make-hub-fixtures.js';
import { hubSettings, parseHubUri } from '../src/sources/hub/client.js';
import { mapColumns } from '../src/sources/hub/columns.js';
import { chooseShards } from '../src/sources/hub/layout.js';
import { rowItem } from '../src/sources/hub/rows.js';
import { audit, InputError, type AuditOptions, type ClipResult } from '../src/index.js';
import { hub as hubSource } from '../src/sources/hub.js';
import { parquet } from '../src/sources/parquet.js';
import type { SourceOptions } from '../src/sources/types.js';
import { gateSchema } from '../src/config/gate-schema.js';
import { evaluateGate } from '../src/outputs/gate.js';
import { startFakeHub, type FakeHub } from './helpers/fake-hub.js';
import { REAL, tempDir } from './helpers/run.js';

// Strict limits so the real clips raise findings (LJ001-0002 is too short and gets dropped): parity then covers
// findings and curation, not just metrics.
const config = { analyzers: { signal: { minDurationSec: 3 }, silence: { maxLeadingSec: 0.1, maxTrailingSec: 0.1 } } };
const LJ = 'hf://datasets/keithito/lj_speech';

let fx: HubFixtures;
let hub: FakeHub;
let work: string;
let savedToken: string | undefined;

const clipsOf = (out: string): ClipResult[] =>
  readFileSync(join(out, 'clips.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const jsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const resolves = () => hub.requests.filter((r) => r.path.includes('/resolve/'));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

async function run(source: string, sourceOptions: SourceOptions = {}, extra: Partial<AuditOptions> = {}) {
  const out = mkdtempSync(join(work, 'out-'));
  const result = await audit({ source, sourceOptions, out, config, ...extra });
  return { out, result, clips: clipsOf(out) };
}

const hubOptions = (cacheDir: string, more: SourceOptions = {}): SourceOptions => ({
  hubUrl: hub.url,
  cacheDir,
  ...more,
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

/** Same ids, same metrics (within 1e-9), same finding codes per clip. */
function expectSameClips(actual: ClipResult[], expected: ClipResult[]) {
  expect(actual.map((c) => c.id)).toEqual(expected.map((c) => c.id));
  actual.forEach((clip, i) => {
    const want = expected[i];
    expect(Object.keys(clip.metrics).sort()).toEqual(Object.keys(want.metrics).sort());
    for (const [k, v] of Object.entries(want.metrics)) expect(clip.metrics[k], `${clip.id} ${k}`).toBeCloseTo(v, 9);
    expect(clip.findings.map((f) => f.code).sort()).toEqual(want.findings.map((f) => f.code).sort());
  });
}

beforeAll(async () => {
  savedToken = process.env.HF_TOKEN;
  delete process.env.HF_TOKEN; // a developer's own token must not change what the gated-repo test sees
  work = tempDir('tts-audit-hub-');
  fx = await makeHubFixtures(join(work, 'fixtures'));
  hub = await startFakeHub({ repos: fx.repos, pageSize: 2 });
});

afterAll(async () => {
  if (savedToken !== undefined) process.env.HF_TOKEN = savedToken;
  await hub?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('hf:// datasets through a fake Hub', () => {
  let local: Awaited<ReturnType<typeof run>>;
  let first: Awaited<ReturnType<typeof run>>;
  const cacheDir = () => join(work, 'cache');

  beforeAll(async () => {
    local = await run(join(REAL, 'ljspeech'));
    first = await run(LJ, hubOptions(cacheDir()));
  });

  it('(a) audits keithito/lj_speech from refs/convert/parquet with the same metrics and findings as the local copy', () => {
    expect(first.result.report.source.format).toBe('hub');
    expect(first.result.report.source.title).toContain('LJSpeech');
    expect(first.clips.some((c) => c.findings.length > 0)).toBe(true);
    expectSameClips(first.clips, local.clips);
    expect(
      first.clips.every((c) => c.speaker === 'LJ' && c.language === 'en' && c.split === 'train' && c.normalizedText),
    ).toBe(true);
    // The listing was paginated (2 entries a page) and main, holding only the loading script, was looked at first.
    const trees = hub.requests.filter((r) => r.path.includes('/tree/'));
    expect(trees.length).toBeGreaterThan(2);
  });

  it('(g) gives every clip its shard and row as origin', () => {
    const expected = fx.ljspeechShards.flatMap((ids, shard) =>
      ids.map((id, row) => ({
        id,
        origin: { file: `${LJ}@refs%2Fconvert%2Fparquet/main/train/000${shard}.parquet`, row },
      })),
    );
    expect(first.clips.map((c) => ({ id: c.id, origin: c.origin }))).toEqual(expected);
  });

  it('(h) writes kept.jsonl with repo, revision, file and row of each kept clip; dropped ones are left out', () => {
    const kept = jsonl(join(first.out, 'curated', 'kept.jsonl'));
    const dropped = jsonl(join(first.out, 'curated', 'dropped.jsonl')).map((d) => d.id);
    expect(dropped).toContain('LJ001-0002');
    const all = fx.ljspeechShards.flatMap((ids, shard) =>
      ids.map((id, row) => ({ id, file: `main/train/000${shard}.parquet`, row })),
    );
    expect(kept.map((k) => ({ id: k.id, file: k.file, row: k.row }))).toEqual(
      all.filter((r) => !dropped.includes(r.id)),
    );
    expect(kept[0]).toMatchObject({
      repo: 'keithito/lj_speech',
      revision: fx.repos['keithito/lj_speech'].branches['refs/convert/parquet'].sha,
      ref: 'refs/convert/parquet',
    });
  });

  it('(c) a second run downloads nothing: the cached shards are reused', async () => {
    hub.requests.length = 0;
    const again = await run(LJ, hubOptions(cacheDir()));
    expect(resolves()).toEqual([]);
    expectSameClips(again.clips, first.clips);
  });

  it('a damaged first shard is a finding: the other shards are audited and reported', async () => {
    const cache = mkdtempSync(join(work, 'cache-'));
    cpSync(cacheDir(), cache, { recursive: true });
    const shard = filesUnder(cache).find((f) => f.endsWith('0000.parquet'))!;
    writeFileSync(shard, Buffer.alloc(readFileSync(shard).length, 0x5a)); // same size: the cache keeps it
    const damaged = await run(LJ, hubOptions(cache));
    expect(damaged.clips.map((c) => c.id)).toEqual(fx.ljspeechShards.slice(1).flat());
    const findings = damaged.result.report.sourceFindings;
    expect(findings.map((f) => f.code)).toEqual(['source.unreadable_shard']);
    expect(findings[0].message).toMatch(/0000\.parquet: not a readable parquet file.*delete the cached copy/);
    expect(damaged.result.report.source.title).toContain('LJSpeech'); // from the shard that opened
    expect(damaged.result.report.summary.unreadableFiles).toBe(1);
    const rule = evaluateGate(damaged.result.report, gateSchema.parse({})).find((r) => r.rule === 'maxUnreadableFiles');
    expect(rule).toMatchObject({ holds: false, actual: 1, limit: 0 });
  });

  it('(d) resumes a truncated .part download with a Range request', async () => {
    const shard = filesUnder(cacheDir()).find((f) => f.endsWith('0001.parquet'))!;
    const whole = readFileSync(shard);
    const half = Math.floor(whole.length / 2);
    writeFileSync(`${shard}.part`, whole.subarray(0, half));
    rmSync(shard);
    hub.requests.length = 0;
    const resumed = await run(LJ, hubOptions(cacheDir()));
    const ranged = resolves().filter((r) => r.path.endsWith('0001.parquet') && r.range !== 'bytes=0-0');
    expect(ranged.map((r) => r.range)).toEqual([`bytes=${half}-`]);
    expect(readFileSync(shard).equals(whole)).toBe(true);
    expect(filesUnder(cacheDir()).some((f) => f.endsWith('.part'))).toBe(false);
    expectSameClips(resumed.clips, first.clips);
  });

  it('(d) a download that breaks off leaves a .part that the next run continues', async () => {
    const cache = mkdtempSync(join(work, 'cache-'));
    hub.cutNextDownloadAfter = 100_000;
    const err = await failure(audit({ source: LJ, sourceOptions: hubOptions(cache) }));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/broke off.*run again to resume/);
    const part = filesUnder(cache).find((f) => f.endsWith('.part'))!;
    const got = readFileSync(part).length;
    expect(got).toBeGreaterThan(0);
    hub.requests.length = 0;
    const resumed = await run(LJ, hubOptions(cache));
    expect(
      resolves()
        .filter((r) => r.range !== 'bytes=0-0')
        .map((r) => r.range),
    ).toEqual([`bytes=${got}-`, undefined]);
    expectSameClips(resumed.clips, first.clips);
  });

  it('(f) reads the same shards as a local folder (--format parquet and auto) and as one file', async () => {
    const forced = await run(fx.ljspeechParquetDir, {}, { format: 'parquet' });
    expect(forced.result.report.source.format).toBe('parquet');
    expectSameClips(forced.clips, local.clips);
    expect(forced.clips[4].origin).toEqual({ file: 'main/train/0001.parquet', row: 0 });
    expect(jsonl(join(forced.out, 'curated', 'kept.jsonl'))[0]).toEqual({
      file: 'main/train/0000.parquet',
      row: 0,
      id: 'LJ001-0001',
    });
    const auto = await run(fx.ljspeechParquetDir);
    expect(auto.result.report.source.format).toBe('parquet');
    const one = await run(join(fx.ljspeechParquetDir, 'main', 'train', '0001.parquet'));
    expect(one.clips.map((c) => c.id)).toEqual(fx.ljspeechShards[1]);
    expect(one.clips[0].origin).toEqual({ file: '0001.parquet', row: 0 });
  });
});

describe('other schemas and column mapping', () => {
  it('reads {array, sampling_rate} audio (LibriTTS-R on main) with the metrics of the WAVs it came from', async () => {
    const local = await run(join(REAL, 'libritts'));
    const remote = await run(
      'hf://datasets/mythicinfinity/libritts_r',
      hubOptions(mkdtempSync(join(work, 'cache-')), { split: 'test.clean' }),
    );
    expect(remote.clips.map((c) => c.id)).toEqual(fx.libriTtsIds);
    expectSameClips(remote.clips, local.clips);
    expect(remote.clips[0]).toMatchObject({
      speaker: fx.libriTtsIds[0].split('_')[0],
      split: 'test.clean',
      format: { codec: 'pcm_f32', sampleRate: 24000 },
    });
  });

  it('(e) an unknown schema names the columns found and how to map them', async () => {
    const err = await failure(
      audit({
        source: 'hf://datasets/tts-audit/odd-schema',
        sourceOptions: hubOptions(mkdtempSync(join(work, 'cache-'))),
      }),
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/no audio column/);
    expect(err.message).toMatch(/no text column/);
    expect(err.message).toContain('Columns found: key (string), waveform (binary), caption (string)');
    expect(err.message).toContain('--columns audio=<column>,text=<column>');
  });

  it('a row without audio bytes is a finding naming file and row; the others are read', () => {
    const shard = { local: 'x.parquet', path: 'data/x.parquet', originFile: 'hf://datasets/a/b@main/data/x.parquet' };
    const mapping = { fields: { audio: 'audio', text: 'text' }, audioKind: 'bytes' as const };
    const bad = rowItem({ audio: { bytes: undefined, path: 'a.wav' }, text: 'hi' }, 3, shard, mapping);
    expect(bad).toMatchObject({
      finding: { code: 'source.malformed_line', origin: { file: shard.originFile, row: 3 } },
    });
    const good = rowItem({ audio: { bytes: new Uint8Array([1]), path: null }, text: 'hi' }, 4, shard, mapping);
    expect(good).toMatchObject({
      utterance: { id: 'data/x.parquet#4', audio: { kind: 'bytes', name: '4.wav' }, origin: { row: 4 } },
    });
  });

  it('maps MLS by its columns, taking the language from the subset', async () => {
    const columns = [
      'audio',
      'original_path',
      'begin_time',
      'transcript',
      'speaker_id',
      'chapter_id',
      'file',
      'id',
    ].map((name) => ({
      name,
      kind: name === 'audio' ? ('audio-bytes' as const) : ('string' as const),
      type: 'string',
    }));
    const mapped = mapColumns({
      columns,
      metadata: { key_value_metadata: [] } as never,
      options: { subset: 'german' },
    });
    expect(mapped).toMatchObject({
      fields: { id: 'id', text: 'transcript', speaker: 'speaker_id' },
      language: 'de',
      corpus: { name: 'mls', nominalFormat: { sampleRate: 16000 } },
    });
  });

  it('inspect() names the corpus, its language, published format and text normalisation from the columns', async () => {
    expect(await parquet.inspect(fx.ljspeechParquetDir, {})).toEqual({
      title: 'LJSpeech 1.1 (parquet)',
      language: 'en',
      nominalFormat: { sampleRate: 22050, channels: 1, bitDepth: 16 },
      expectsNormalizedText: true,
    });
    const remote = await hubSource.inspect(
      'hf://datasets/mythicinfinity/libritts_r',
      hubOptions(mkdtempSync(join(work, 'cache-'))),
    );
    expect(remote).toMatchObject({
      language: 'en',
      nominalFormat: { sampleRate: 24000, bitDepth: 32 },
      expectsNormalizedText: true,
    });
  });

  it('--columns overrides a mapped field', async () => {
    const { clips } = await run(fx.ljspeechParquetDir, { columns: { text: 'file' } });
    expect(clips[0].text).toBe('LJSpeech-1.1/wavs/LJ001-0001.wav');
  });
});

describe('Hub errors say what to do', () => {
  const cache = () => mkdtempSync(join(work, 'cache-'));

  it('(b) 401 for a gated repo without a token, or with a refused one, names HF_TOKEN and the page to accept', async () => {
    for (const token of [undefined, 'hf_wrong']) {
      const err = await failure(
        audit({
          source: 'hf://datasets/tts-audit/gated-lj',
          sourceOptions: hubOptions(cache(), token ? { token } : {}),
        }),
      );
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toContain(`accept the terms at ${hub.url}/datasets/tts-audit/gated-lj and set HF_TOKEN`);
      if (token) expect(err.message).toContain('access refused with the token');
      else expect(err.message).toContain('gated or private');
    }
    const granted = await run('hf://datasets/tts-audit/gated-lj', hubOptions(cache(), { token: 'hf_granted' }));
    expect(granted.clips).toHaveLength(7);
  });

  it('(b) 404 says whether the repo or the revision is missing', async () => {
    const repo = await failure(audit({ source: 'hf://datasets/nobody/nothing', sourceOptions: hubOptions(cache()) }));
    expect(repo).toBeInstanceOf(InputError);
    expect(repo.message).toContain(`hf://datasets/nobody/nothing: no such dataset on ${hub.url}`);
    const revision = await failure(audit({ source: `${LJ}@v9`, sourceOptions: hubOptions(cache()) }));
    expect(revision).toBeInstanceOf(InputError);
    expect(revision.message).toContain('revision "v9" not found');
  });

  it('(b) an unreachable endpoint is named, with HF_ENDPOINT', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const endpoint = `http://127.0.0.1:${closed}`;
    const err = await failure(audit({ source: LJ, sourceOptions: { hubUrl: endpoint, cacheDir: cache() } }));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain(`cannot reach the Hub at ${endpoint}`);
    expect(err.message).toContain('HF_ENDPOINT');
  });

  it('no parquet for the subset lists the subsets and splits that exist, on both branches', async () => {
    const err = await failure(audit({ source: LJ, sourceOptions: hubOptions(cache(), { subset: 'other' }) }));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain('no parquet files for subset "other"');
    expect(err.message).toContain('refs/convert/parquet has main: train');
    const none = await failure(
      audit({ source: 'hf://datasets/tts-audit/no-parquet', sourceOptions: hubOptions(cache()) }),
    );
    expect(none.message).toContain('no refs/convert/parquet branch');
    expect(none.message).toContain('files: README.md, clips.zip');
  });
});

describe('settings and layouts', () => {
  it('takes endpoint and token from options, then HF_ENDPOINT / HF_TOKEN, then defaults', () => {
    expect(hubSettings({}, {})).toMatchObject({ endpoint: 'https://huggingface.co' });
    expect(hubSettings({}, {}).token).toBeUndefined();
    expect(
      hubSettings({}, { HF_ENDPOINT: 'https://mirror.example/', HF_TOKEN: 'hf_env', TTS_AUDIT_CACHE: '/c' }),
    ).toMatchObject({ endpoint: 'https://mirror.example', token: 'hf_env', tokenFrom: 'HF_TOKEN', cacheDir: '/c' });
    expect(
      hubSettings({ hubUrl: 'http://127.0.0.1:1', token: 'hf_opt' }, { HF_ENDPOINT: 'https://x', HF_TOKEN: 'hf_env' }),
    ).toMatchObject({ endpoint: 'http://127.0.0.1:1', token: 'hf_opt' });
  });

  it('parses hf:// URIs with and without a revision, and refuses other kinds', () => {
    expect(parseHubUri('hf://datasets/keithito/lj_speech')).toEqual({ repo: 'keithito/lj_speech', revision: 'main' });
    expect(parseHubUri('hf://datasets/a/b@refs%2Fconvert%2Fparquet')).toEqual({
      repo: 'a/b',
      revision: 'refs/convert/parquet',
    });
    expect(parseHubUri('hf://datasets/a/b@refs/pr/5')).toEqual({ repo: 'a/b', revision: 'refs/pr/5' });
    expect(() => parseHubUri('hf://models/a/b')).toThrow(InputError);
  });

  it('finds configs and splits in the Hub file-naming conventions', () => {
    const files = [
      'dutch/9_hours-00000-of-00001.parquet',
      'dutch/train-00000-of-00002.parquet',
      'german/train-00000-of-00001.parquet',
    ].map((path) => ({ path }));
    expect(chooseShards(files, { subset: 'dutch', split: 'train' })).toMatchObject({
      config: 'dutch',
      shards: [{ path: files[1].path, split: 'train' }],
    });
    expect(chooseShards(files, {})).toMatchObject({ ambiguous: true });
    const libri = [
      { path: 'data/dev.clean/dev.clean-00000-of-00001.parquet' },
      { path: 'data/train.other.500/x.parquet' },
    ];
    expect(chooseShards(libri, { split: 'train.other.500' })).toMatchObject({
      config: 'default',
      shards: [{ split: 'train.other.500' }],
    });
    expect(chooseShards([{ path: 'default/partial-train/0000.parquet' }], { split: 'train' })).toMatchObject({
      shards: [{ config: 'default' }],
    });
  });
});
