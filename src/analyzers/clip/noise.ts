import { z } from 'zod';
import { snrEstimate } from '../../dsp/snr.js';
import { DB_FLOOR, recordedLevels, toDb } from '../../features/frames.js';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';

const config = z
  .strictObject({
    minSnrDb: z
      .number()
      .default(15)
      .describe(
        'SNR below this is audible noise that a TTS model learns to reproduce (clean read speech scores 25–60 dB).',
      ),
    floorFraction: z
      .number()
      .gt(0)
      .max(0.5)
      .default(0.1)
      .describe('The noise floor is the mean power of this share of the quietest frames.'),
    maxNoiseFloorDbfs: z
      .number()
      .default(-40)
      .describe(
        'A floor above this is room noise or hum audible between words (LJSpeech clips sit at −46 to −58 dBFS).',
      ),
  })
  .prefault({});

export const noise = defineClipAnalyzer({
  name: 'noise',
  description:
    'SNR (a blend of WADA-SNR and a speech/pause energy estimate) and the noise floor of the quietest frames.',
  config,
  metrics: {
    'noise.snr_db': 'SNR (dB): 0.25·WADA + 0.75·VAD estimate, the figure findings and the gate use',
    'noise.wada_snr_db': 'WADA-SNR estimate (dB, −20…100): amplitude statistics, assumes Gaussian noise',
    'noise.vad_snr_db': 'speech-frame vs pause-frame energy estimate (dB); needs pauses or quiet frames',
    'noise.floor_dbfs': 'mean power of the quietest `floorFraction` of frames (dBFS)',
  },
  findings: {
    'noise.low_snr': { severity: 'error', description: 'SNR below `minSnrDb`' },
    'noise.high_floor': { severity: 'warning', description: 'noise floor above `maxNoiseFloorDbfs`' },
  },
  analyze({ audio, features, speech, config: c }) {
    // The speech/pause threshold splits the frames for the VAD estimate.
    const { wada, vad, reported: snr } = snrEstimate(audio.samples, features, speech.threshold);
    const sorted = recordedLevels(features.rmsDbSorted);
    const k = Math.max(1, Math.floor(sorted.length * c.floorFraction));
    let power = 0;
    for (let i = 0; i < k && i < sorted.length; i++) power += 10 ** (sorted[i] / 10);
    const floor = sorted.length > 0 ? toDb(power / k) : DB_FLOOR;
    const findings: FindingDraft[] = [];
    if (snr < c.minSnrDb) {
      findings.push({
        code: 'noise.low_snr',
        message: `SNR ${round(snr, 1)} dB (WADA ${round(wada, 1)}, VAD ${round(vad, 1)}), below ${c.minSnrDb} dB`,
        value: snr,
        threshold: c.minSnrDb,
        unit: 'dB',
        metric: 'noise.snr_db',
      });
    }
    if (floor > c.maxNoiseFloorDbfs) {
      findings.push({
        code: 'noise.high_floor',
        message: `noise floor ${round(floor, 1)} dBFS, above ${c.maxNoiseFloorDbfs} dBFS`,
        value: floor,
        threshold: c.maxNoiseFloorDbfs,
        unit: 'dBFS',
        metric: 'noise.floor_dbfs',
      });
    }
    return {
      metrics: { 'noise.snr_db': snr, 'noise.wada_snr_db': wada, 'noise.vad_snr_db': vad, 'noise.floor_dbfs': floor },
      findings,
    };
  },
});
