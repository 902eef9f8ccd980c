import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkLines, sanitize } from '../src/plugins/espeak-io.js';
import { ESPEAK_ENV, openEspeak, type Espeak } from '../src/plugins/espeak.js';
import { tempDir } from './helpers/run.js';

// espeak-ng is an optional plugin at run time, but CI installs it (.ci/run): these tests need it.
let espeak: Espeak;
beforeAll(async () => {
  const found = await openEspeak();
  if (!found) throw new Error('espeak-ng is not on PATH (apt-get install espeak-ng)');
  espeak = found;
});
afterAll(() => espeak?.close());

const IPA_VOWEL = /[aeiouɑɐɒæɛɜəɪʊʌɔøœyɨʉɯ]/;

describe('espeak-ng phonemize', () => {
  it('maps our language codes to espeak-ng voices', () => {
    expect(espeak.voiceFor('en')).toBe('en-us');
    expect(espeak.voiceFor('en-GB')).toBe('en-gb');
    expect(espeak.voiceFor('pt_BR')).toBe('pt-br');
    for (const code of ['de', 'es', 'fr', 'it', 'nl', 'pl', 'pt']) expect(espeak.voiceFor(code), code).toBeDefined();
    expect(espeak.voiceFor('xx')).toBeUndefined();
  });

  it('gives IPA phonemes, more for a longer text, in English and Spanish', async () => {
    const en = await espeak.phonemize(
      ['Please call Stella.', 'Please call Stella. Ask her to bring these things with her from the store.'],
      'en',
    );
    expect(en[0].join(' ')).toBe('p l iː z k ɔː l s t ɛ l ə');
    expect(en[1].length).toBeGreaterThan(2 * en[0].length);
    const es = await espeak.phonemize(
      [
        'la sorpresa y el disgusto',
        'la sorpresa y el disgusto que produjo a wentworth la substitución de una cuñada por otra',
      ],
      'es',
    );
    expect(es[0].length).toBeGreaterThan(15);
    expect(es[1].length).toBeGreaterThan(es[0].length + 30);
    for (const tokens of [...en, ...es]) {
      expect(tokens.some((t) => IPA_VOWEL.test(t))).toBe(true);
      expect(tokens.join('')).not.toMatch(/[ˈˌ()]/); // stress and language-switch marks are not phonemes
    }
  });

  it('answers a batch text by text, the same as one at a time', async () => {
    const texts = ['First sentence, with a comma; and a clause.', 'Second! Two sentences? Yes.', 'Third.'];
    const batch = await espeak.phonemize(texts, 'en');
    const single = await Promise.all(texts.map(async (t) => (await espeak.phonemize([t], 'en'))[0]));
    expect(batch).toEqual(single);
  });

  it('reads hostile text as text: no flags, no phoneme input, no loss of sync', async () => {
    const out = join(tempDir(), 'injected.wav');
    const hostile = [
      `-w ${out}`,
      '--help',
      '-v fr -s 900',
      '"quoted" \'single\' `back` $(echo hi)',
      'nul\u0000bell\u0007escape\u001b[31m\r\nnew line\ttab',
      "[[h@l'oU]] ]] [[",
      '\ud800 lone surrogate',
      'ʔ ʔ ʔ ʔ ʔ ʔ ʔ',
      '',
      '... !!! ???',
      'word '.repeat(1000),
      'x'.repeat(3000),
    ];
    const result = await espeak.phonemize(['before', ...hostile, 'after'], 'en');
    expect(result).toHaveLength(hostile.length + 2);
    expect(result[0]).toEqual((await espeak.phonemize(['before'], 'en'))[0]);
    expect(result.at(-1)).toEqual((await espeak.phonemize(['after'], 'en'))[0]);
    expect(existsSync(out)).toBe(false);
    expect(result[1].length).toBeGreaterThan(3); // "-w …" is spoken
    // All 1000 words (5000 bytes) are read, though espeak-ng reads stdin in lines of at most 1000 bytes.
    expect(result[hostile.indexOf('word '.repeat(1000)) + 1].length).toBeGreaterThanOrEqual(1000 * 3);
    expect(result[hostile.indexOf('') + 1]).toEqual([]);
  });

  it('synthesizes speech, also from hostile text', async () => {
    const s = await espeak.synthesize('Please call Stella.', 'en');
    expect(s.sampleRate).toBe(22050);
    expect(s.samples.length / s.sampleRate).toBeGreaterThan(0.7);
    expect(s.samples.length / s.sampleRate).toBeLessThan(3);
    expect(Math.max(...s.samples.map(Math.abs))).toBeGreaterThan(0.1);
    const dashes = await espeak.synthesize('--stdout -w /dev/null "x"\u0000', 'es');
    expect(dashes.samples.length).toBeGreaterThan(1000);
  });
});

describe('espeak-ng input hygiene', () => {
  it('removes control characters and phoneme-input brackets', () => {
    expect(sanitize(' a\u0000b\u001b[[c]]\r\nd\u2028e ')).toBe('a b c d e');
  });

  it('cuts long text into lines espeak-ng reads whole, without losing a word', () => {
    const text = sanitize('word '.repeat(500) + 'é'.repeat(2000));
    const lines = chunkLines(text);
    for (const l of lines) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(900);
    expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    expect(lines.slice(0, 2).every((l) => l.endsWith(' word'))).toBe(true); // cut between words
    expect(chunkLines('')).toEqual(['']);
  });
});

describe(`openEspeak with ${ESPEAK_ENV}`, () => {
  const saved = process.env[ESPEAK_ENV];
  afterAll(() => {
    if (saved === undefined) delete process.env[ESPEAK_ENV];
    else process.env[ESPEAK_ENV] = saved;
  });

  it('is undefined when the variable disables espeak-ng or names a missing program', async () => {
    process.env[ESPEAK_ENV] = 'none';
    expect(await openEspeak()).toBeUndefined();
    process.env[ESPEAK_ENV] = join(tempDir(), 'no-such-espeak');
    expect(await openEspeak()).toBeUndefined();
  });

  it('falls back to one process per batch when espeak-ng holds its output until it exits', async () => {
    const wrapper = join(tempDir(), 'espeak-buffered');
    writeFileSync(wrapper, '#!/bin/sh\nout=$(mktemp)\nespeak-ng "$@" > "$out"\ncat "$out"\nrm -f "$out"\n');
    chmodSync(wrapper, 0o755);
    process.env[ESPEAK_ENV] = wrapper;
    const buffered = await openEspeak(); // waits out the 3 s stream probe
    expect(buffered?.version).toBe(espeak.version);
    const texts = ['Please call Stella.', 'Second one.'];
    expect(await buffered!.phonemize(texts, 'en')).toEqual(await espeak.phonemize(texts, 'en'));
    expect((await buffered!.synthesize('Please call Stella.', 'en')).samples.length).toBeGreaterThan(10_000);
    buffered!.close();
  });
});

describe('espeak-ng writes nothing outside the run', () => {
  it('its processes get a private home, removed on close: ~/.config/pulse is never made', async () => {
    const home = tempDir('tts-audit-home-');
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
    process.env.HOME = home;
    delete process.env.XDG_CONFIG_HOME;
    try {
      const e = (await openEspeak())!;
      expect(e).toBeDefined();
      expect((await e.phonemize(['hello world'], 'en'))[0].join(' ')).toMatch(/h/);
      await e.synthesize('hello', 'en');
      e.close();
      expect(existsSync(join(home, '.config'))).toBe(false);
    } finally {
      process.env.HOME = saved.HOME;
      if (saved.XDG_CONFIG_HOME !== undefined) process.env.XDG_CONFIG_HOME = saved.XDG_CONFIG_HOME;
    }
  });
});
