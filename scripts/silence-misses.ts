// The trailing (or leading) misses of scripts/bench-silence.ts one by one, run by hand:
//   TTS_AUDIT_PLUGINS=… nice -n 19 npx tsx scripts/silence-misses.ts [--kinds white] [--snrs 15,20] [--half A]
//     [--edge trail|lead] [--method +silero|default]
// For each case whose edge misses the truth by more than 0.1 s: the truth, each method's edge, and around the true
// edge the frame levels (speech-band RMS, its tracked floor, the spectral level) and Silero's chunk probabilities.

import { parseArgs } from 'node:util';
import { configSchema } from '../src/config/schema.js';
import { computeFeatures } from '../src/features/frames.js';
import { trackFloor } from '../src/features/speech-activity.js';
import { spectralActivityLevels } from '../src/features/speech-spectrum.js';
import { learnedSpan, wantsLearnedVad } from '../src/features/speech-learned.js';
import { findSpeech } from '../src/features/speech.js';
import { openSilero, toFrames } from '../src/plugins/silero.js';
import { benchFiles, clipCases } from './bench/silence-cases.js';

const { values: args } = parseArgs({
  options: {
    kinds: { type: 'string', default: 'white' },
    snrs: { type: 'string', default: '15,20' },
    half: { type: 'string', default: 'A' },
    edge: { type: 'string', default: 'trail' },
    method: { type: 'string', default: '+silero' },
    seeds: { type: 'string', default: '2' },
    window: { type: 'string', default: '0.3' },
  },
});
const c = configSchema.parse({}).analyzers.silence;
const silero = await openSilero();
const trail = args.edge === 'trail';
const win = Number(args.window);
const only = { kinds: args.kinds.split(','), snrs: args.snrs.split(',').map(Number) };
const files = benchFiles();
for (const [i, file] of files.entries()) {
  for await (const k of clipCases(file, i, Number(args.seeds), only)) {
    if (args.half !== 'both' && k.half !== args.half) continue;
    const { audio } = k;
    const features = computeFeatures(audio);
    const energy = findSpeech(features, audio.durationSec, c);
    const prob = silero ? await silero.probabilities(audio) : new Float32Array(0);
    const frames = toFrames(prob, features.hopSec, features.frameCount, c.vadThreshold, c.vadEndLagSec);
    const vad = { speechFrames: async () => frames };
    const asked = wantsLearnedVad(energy, c);
    const merged = silero && asked ? await learnedSpan(energy, audio, features, c, vad) : energy;
    const spectral = findSpeech(features, audio.durationSec, { ...c, levels: 'spectral' });
    const chosen = args.method === 'default' ? energy : merged;
    const truth = trail ? k.truthTrail : k.truthLead;
    const got = trail ? chosen.trailingSec : chosen.leadingSec;
    if (Math.abs(got - truth) <= 0.1) continue;
    const dur = audio.durationSec;
    const at = (s: { leadingSec: number; trailingSec: number }) => (trail ? dur - s.trailingSec : s.leadingSec);
    const truthAt = trail ? dur - k.truthTrail : k.truthLead;
    const vadOnly = frames.lastIndexOf(1) * features.hopSec;
    console.log(
      `\n${k.name} s${k.seed} ${k.kind} ${k.snr} (${k.half}) ${args.edge}: truth ${truthAt.toFixed(2)}, energy ${at(energy).toFixed(2)}, ` +
        `+silero ${at(merged).toFixed(2)}${asked ? '' : ' (not asked)'}, silero alone ~${trail ? (vadOnly + features.hopSec).toFixed(2) : (frames.indexOf(1) * features.hopSec).toFixed(2)}, spectral ${at(spectral).toFixed(2)}; ` +
        `speech ${energy.speechLevel.toFixed(1)} floor ${energy.floor.toFixed(1)} dB, unsure ${energy.unsure}`,
    );
    const floor = trackFloor(features.bandRmsDb, Math.round(c.floorWindowSec / features.hopSec));
    const spec = spectralActivityLevels(features, c);
    const hop = features.hopSec;
    const from = Math.max(0, Math.round((truthAt - win) / hop));
    const to = Math.min(features.frameCount, Math.round((truthAt + win) / hop));
    const rows: string[] = [];
    for (let f = from; f < to; f += 2) {
      const t = f * hop;
      const p = prob[Math.min(prob.length - 1, Math.floor(t / 0.032))] ?? 0;
      const mark = `${energy.isSpeech[f] ? 'E' : '.'}${frames[f] ? 'S' : '.'}${spectral.isSpeech[f] ? 'P' : '.'}`;
      rows.push(
        `${t.toFixed(2)} ${mark} rms ${features.bandRmsDb[f].toFixed(0).padStart(4)} fl ${floor[f].toFixed(0).padStart(4)} ` +
          `sp ${spec.levels[f].toFixed(1).padStart(5)} p ${p.toFixed(2)}${Math.abs(t - truthAt) < hop * 1.5 ? '  <- truth' : ''}`,
      );
    }
    console.log(rows.join('\n'));
  }
}
silero?.close();
