import { measureHum, quietestWindow } from '../../features/hum.js';
import { SNR_ESTIMATOR, snrEstimate } from '../../dsp/snr.js';
import { SPEECH_BAND_HZ } from '../../dsp/speech-band.js';
import { DB_FLOOR, recordedLevels, toDb, type FrameFeatures } from '../../features/frames.js';
import type { SpeechSpan } from '../../features/speech.js';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';
import type { NoiseConfig } from './noise-config.js';

export const noise = defineClipAnalyzer<NoiseConfig>({
  name: 'noise',
  description: `SNR on the speech band (${SNR_ESTIMATOR}), the noise floor of the quietest frames, rumble below ${SPEECH_BAND_HZ} Hz and mains hum in the pauses.`,
  metrics: {
    'noise.snr_db': `SNR (dB), ${SNR_ESTIMATOR}: the figure findings and the gate use`,
    'noise.wada_snr_db': 'WADA-SNR of the speech band (dB, −20…100): amplitude statistics, assumes Gaussian noise',
    'noise.vad_snr_db': 'speech-frame vs pause-frame speech-band energy estimate (dB); needs pauses or quiet frames',
    'noise.floor_dbfs': 'mean speech-band power of the quietest `floorFraction` of frames (dBFS)',
    'noise.rumble_db': `power below ${SPEECH_BAND_HZ} Hz in the pauses, relative to the speech level (dB)`,
    'noise.high_pass_hz': 'the high-pass a rumble finding suggests (Hz); only with that finding',
    'noise.hum_hz':
      'mains frequency whose lines stand out more where the clip is quietest (50 or 60 Hz); only with a hum finding',
    'noise.hum_prominence_db':
      'the strongest 50/60 Hz line (or harmonic) over its neighbourhood where the clip is quietest (dB)',
    'noise.hum_db': 'power of the prominent hum lines, relative to the speech level (dB)',
  },
  findings: {
    'noise.low_snr': { severity: 'error', description: 'speech-band SNR below `minSnrDb`' },
    'noise.high_floor': { severity: 'warning', description: 'noise floor above `maxNoiseFloorDbfs`' },
    'noise.rumble': {
      severity: 'info',
      remedy: 'filter',
      description: `power below ${SPEECH_BAND_HZ} Hz above \`maxRumbleDb\` of the speech level: kept, with a high-pass at \`highPassHz\` suggested`,
    },
    'noise.hum': {
      severity: 'warning',
      remedy: 'filter',
      description:
        'mains hum (50/60 Hz lines and harmonics) above `maxHumDb` of the speech level: kept, with a notch suggested',
    },
  },
  analyze({ audio, features, speech, config: c }) {
    // The speech/pause threshold splits the frames for the VAD estimate.
    const { wada, vad, reported: snr } = snrEstimate(features, speech.threshold);
    const sorted = recordedLevels(features.bandRmsDbSorted);
    const k = Math.max(1, Math.floor(sorted.length * c.floorFraction));
    let power = 0;
    for (let i = 0; i < k && i < sorted.length; i++) power += 10 ** (sorted[i] / 10);
    const floor = sorted.length > 0 ? toDb(power / k) : DB_FLOOR;
    const findings: FindingDraft[] = [];
    if (snr < c.minSnrDb) {
      findings.push({
        code: 'noise.low_snr',
        message: `SNR ${round(snr, 1)} dB above ${SPEECH_BAND_HZ} Hz (WADA ${round(wada, 1)}, VAD ${round(vad, 1)}), below ${c.minSnrDb} dB`,
        value: snr,
        threshold: c.minSnrDb,
        unit: 'dB',
        metric: 'noise.snr_db',
      });
    }
    if (floor > c.maxNoiseFloorDbfs) {
      findings.push({
        code: 'noise.high_floor',
        message: `noise floor ${round(floor, 1)} dBFS above ${SPEECH_BAND_HZ} Hz, above ${c.maxNoiseFloorDbfs} dBFS`,
        value: floor,
        threshold: c.maxNoiseFloorDbfs,
        unit: 'dBFS',
        metric: 'noise.floor_dbfs',
      });
    }
    const metrics: Record<string, number> = {
      'noise.snr_db': snr,
      'noise.wada_snr_db': wada,
      'noise.vad_snr_db': vad,
      'noise.floor_dbfs': floor,
    };
    if (speech.found) {
      Object.assign(metrics, rumble(features, speech, c, findings));
      const start = quietestWindow(features.rmsDb, features.hopSize, audio.sampleRate, audio.samples.length);
      const hum = measureHum(audio.samples, audio.sampleRate, start, c.minHumProminenceDb);
      if (hum) {
        const level = hum.levelDbfs - speech.speechLevel;
        metrics['noise.hum_prominence_db'] = hum.prominenceDb;
        if (Number.isFinite(level)) metrics['noise.hum_db'] = level;
        if (hum.prominenceDb >= c.minHumProminenceDb && level > c.maxHumDb) {
          metrics['noise.hum_hz'] = hum.mainsHz;
          findings.push({
            code: 'noise.hum',
            message: `${hum.mainsHz} Hz mains hum ${round(level, 1)} dB from the speech level (lines ${round(hum.prominenceDb, 1)} dB over their neighbourhood; limit ${c.maxHumDb} dB): a notch at ${hum.mainsHz} Hz and harmonics suggested`,
            value: level,
            threshold: c.maxHumDb,
            unit: 'dB',
            metric: 'noise.hum_db',
          });
        }
      }
    }
    return { metrics, findings };
  },
});

/**
 * Power below the speech band (whole-signal less speech-band frame power) in the pauses, against the speech level.
 * Pauses, because a low voice's fundamental leaks below 100 Hz while it speaks.
 */
function rumble(
  features: Pick<FrameFeatures, 'rmsDb' | 'bandRmsDb' | 'bandRmsDbSorted'>,
  speech: Pick<SpeechSpan, 'isSpeech' | 'speechLevel'>,
  c: NoiseConfig,
  findings: FindingDraft[],
): Record<string, number> {
  const { rmsDb, bandRmsDb, bandRmsDbSorted } = features;
  let pauses = 0;
  for (let i = 0; i < rmsDb.length; i++) pauses += 1 - speech.isSpeech[i];
  const quiet = bandRmsDbSorted[Math.floor((bandRmsDbSorted.length - 1) * c.floorFraction)];
  const usePauses = pauses >= c.minPauseFrames;
  let low = 0;
  let n = 0;
  for (let i = 0; i < rmsDb.length; i++) {
    if (usePauses ? speech.isSpeech[i] : bandRmsDb[i] > quiet) continue;
    low += Math.max(0, 10 ** (rmsDb[i] / 10) - 10 ** (bandRmsDb[i] / 10));
    n++;
  }
  if (n === 0) return {};
  const value = toDb(low / n) - speech.speechLevel;
  if (!(value > c.maxRumbleDb)) return { 'noise.rumble_db': value };
  findings.push({
    code: 'noise.rumble',
    message: `rumble below ${SPEECH_BAND_HZ} Hz ${round(value, 1)} dB from the speech level (limit ${c.maxRumbleDb} dB): high-pass at ${c.highPassHz} Hz suggested`,
    value,
    threshold: c.maxRumbleDb,
    unit: 'dB',
    metric: 'noise.rumble_db',
  });
  return { 'noise.rumble_db': value, 'noise.high_pass_hz': c.highPassHz };
}
