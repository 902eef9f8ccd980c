import { dbfs, round } from '../../util/stats.js';
import type { SampleStats } from '../../features/scan.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';
import type { SignalConfig } from './signal-config.js';

export const signal = defineClipAnalyzer<SignalConfig>({
  name: 'signal',
  description: 'Duration, level, DC offset and clipping, from one pass over the samples.',
  metrics: {
    'signal.duration_sec': 'clip length (s)',
    'signal.peak_dbfs': 'highest |sample| (dBFS)',
    'signal.rms_dbfs': 'RMS over the whole clip (dBFS)',
    'signal.dc_offset': 'mean sample value (full scale = 1)',
    'signal.clipped_fraction': 'share of samples inside clipping runs',
    'signal.clip_events': 'number of clipping runs',
  },
  findings: {
    'signal.too_short': { severity: 'error', description: 'clip shorter than `minDurationSec`' },
    'signal.too_long': { severity: 'warning', description: 'clip longer than `maxDurationSec`' },
    'signal.clipping': {
      severity: 'error',
      description: 'more than `maxClippedFraction` of samples in runs at full scale',
    },
    'signal.dc_offset': { severity: 'warning', description: '|DC offset| above `maxDcOffset`' },
    'signal.low_level': { severity: 'warning', description: 'peak below `minPeakDbfs`' },
    'signal.silent': { severity: 'error', description: 'peak below `silentPeakDbfs`: no speech in the file' },
  },
  analyze({ audio, features, config: c }) {
    const { stats, samplePeak: peak } = features;
    const { clipped, events } = clippingRuns(audio.samples, stats, peak, c.clipLevel, c.clipMinRun);
    const n = Math.max(1, stats.count);
    const sum = stats.sum;
    const sumSq = stats.sumSquares;
    const metrics = {
      'signal.duration_sec': audio.durationSec,
      'signal.peak_dbfs': Math.max(-120, dbfs(peak)),
      'signal.rms_dbfs': Math.max(-120, 10 * Math.log10(sumSq / n || 1e-12)),
      'signal.dc_offset': sum / n,
      'signal.clipped_fraction': clipped / n,
      'signal.clip_events': events,
    };
    const findings: FindingDraft[] = [];
    const d = audio.durationSec;
    if (d < c.minDurationSec) {
      findings.push({
        code: 'signal.too_short',
        message: `clip is ${round(d, 2)} s, shorter than ${c.minDurationSec} s`,
        value: d,
        threshold: c.minDurationSec,
        unit: 's',
        metric: 'signal.duration_sec',
      });
    }
    if (d > c.maxDurationSec) {
      findings.push({
        code: 'signal.too_long',
        message: `clip is ${round(d, 2)} s, longer than ${c.maxDurationSec} s`,
        value: d,
        threshold: c.maxDurationSec,
        unit: 's',
        metric: 'signal.duration_sec',
      });
    }
    const frac = metrics['signal.clipped_fraction'];
    if (frac > c.maxClippedFraction) {
      findings.push({
        code: 'signal.clipping',
        message: `${round(frac * 100, 2)} % of samples in ${events} clipping runs (limit ${c.maxClippedFraction * 100} %)`,
        value: frac,
        threshold: c.maxClippedFraction,
        metric: 'signal.clipped_fraction',
      });
    }
    const dc = metrics['signal.dc_offset'];
    if (Math.abs(dc) > c.maxDcOffset) {
      findings.push({
        code: 'signal.dc_offset',
        message: `DC offset ${round(dc, 4)} (limit ±${c.maxDcOffset})`,
        value: dc,
        threshold: c.maxDcOffset,
        metric: 'signal.dc_offset',
      });
    }
    const pk = metrics['signal.peak_dbfs'];
    if (pk < c.silentPeakDbfs) {
      findings.push({
        code: 'signal.silent',
        message: `peak ${round(pk, 1)} dBFS: the file holds no speech`,
        value: pk,
        threshold: c.silentPeakDbfs,
        unit: 'dBFS',
        metric: 'signal.peak_dbfs',
      });
    } else if (pk < c.minPeakDbfs) {
      findings.push({
        code: 'signal.low_level',
        message: `peak ${round(pk, 1)} dBFS, below ${c.minPeakDbfs} dBFS`,
        value: pk,
        threshold: c.minPeakDbfs,
        unit: 'dBFS',
        metric: 'signal.peak_dbfs',
      });
    }
    return { metrics, findings };
  },
});

/**
 * Samples in runs of at least `minRun` consecutive samples at or above `level`. Such samples are among the
 * clip's loud samples whenever `level` is not below their threshold (at a peak up to ~2× full scale), so
 * only those are looked at; below the peak there is nothing to look for.
 */
function clippingRuns(
  x: Float32Array,
  stats: SampleStats,
  peak: number,
  level: number,
  minRun: number,
): { clipped: number; events: number } {
  let clipped = 0;
  let events = 0;
  let run = 0;
  const close = () => {
    if (run >= minRun) {
      clipped += run;
      events++;
    }
    run = 0;
  };
  if (peak < level) return { clipped, events };
  if (stats.loudThreshold > 0 && level >= stats.loudThreshold) {
    let last = -2;
    for (const i of stats.loud) {
      const v = x[i];
      if ((v < 0 ? -v : v) < level) continue;
      if (i !== last + 1) close();
      run++;
      last = i;
    }
  } else {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if ((v < 0 ? -v : v) >= level) run++;
      else close();
    }
  }
  close();
  return { clipped, events };
}
