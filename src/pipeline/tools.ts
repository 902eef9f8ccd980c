import { clipAnalyzers } from '../analyzers/clip/index.js';
import type { ClipAnalyzer, ClipTools } from '../analyzers/types.js';
import type { AuditConfig } from '../config/schema.js';
import { openEspeak } from '../plugins/espeak.js';
import { openPocketsphinx } from '../plugins/pocketsphinx.js';
import { openSilero } from '../plugins/silero.js';

export interface OpenTools extends ClipTools {
  /** Ends the helper processes; the run (or worker) that opened the tools calls it when it ends. */
  close(): void;
}

/** Opens the helper programs the enabled analyzers use, and nothing else. */
export async function openClipTools(config: AuditConfig): Promise<OpenTools> {
  const configs = config.analyzers as Record<string, unknown>;
  const wanted = new Set((clipAnalyzers as readonly ClipAnalyzer[]).flatMap((a) => a.uses?.(configs[a.name]) ?? []));
  const espeak = wanted.has('espeak') ? await openEspeak() : undefined;
  const pocketsphinx = wanted.has('pocketsphinx') ? await openPocketsphinx() : undefined;
  const silero = wanted.has('silero') ? await openSilero() : undefined;
  return {
    espeak,
    pocketsphinx,
    silero,
    close: () => {
      espeak?.close();
      pocketsphinx?.close();
      silero?.close();
    },
  };
}
