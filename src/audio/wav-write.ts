// The WAV files tts-audit itself writes: mono, one canonical 44-byte header, so every tool we hand them to (libsndfile,
// pocketsphinx, the `datasets` audio feature) reads them without a chunk walk.

type Encoding = { format: 1 | 3; bytes: 2 | 4 };
const PCM16: Encoding = { format: 1, bytes: 2 };
const FLOAT32: Encoding = { format: 3, bytes: 4 };

function withHeader({ format, bytes }: Encoding, rate: number, frames: number): Buffer {
  const size = frames * bytes;
  const buf = Buffer.alloc(44 + size);
  buf.write('RIFF', 0, 'latin1');
  buf.writeUInt32LE(36 + size, 4);
  buf.write('WAVEfmt ', 8, 'latin1');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(format, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * bytes, 28);
  buf.writeUInt16LE(bytes, 32);
  buf.writeUInt16LE(bytes * 8, 34);
  buf.write('data', 36, 'latin1');
  buf.writeUInt32LE(size, 40);
  return buf;
}

/** 32-bit float mono WAV: the samples as they are, nothing requantised. */
export function floatWav(samples: Float32Array, rate: number): Buffer {
  const buf = withHeader(FLOAT32, rate, samples.length);
  for (let i = 0; i < samples.length; i += 1) buf.writeFloatLE(samples[i], 44 + 4 * i);
  return buf;
}

/** 16-bit PCM mono WAV of samples in ±1, clamped. */
export function pcm16Wav(samples: Float32Array, rate: number): Buffer {
  const buf = withHeader(PCM16, rate, samples.length);
  for (let i = 0; i < samples.length; i++)
    buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767))), 44 + 2 * i);
  return buf;
}
