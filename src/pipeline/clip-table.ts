import { slotTable } from '../util/id-table.js';

// One slot per listed clip for everything the dataset stage remembers about it, so each id's hash is stored once
// (the listed ids, the dropped, the trimmed and the clips with end-of-run findings were four tables): 17 bytes a
// slot, 21–32 bytes a clip at the table's 53–80 % load. A dropped clip's duration is counted when it is dropped and
// never read again, so from then on the same four bytes hold the key of its dropped record.

const VALUE = 0; // word: the duration (float) until the clip is dropped, then its dropped key (uint32)
const LATE = 1; // word: 1 + the clip's key among clips with end-of-run findings, 0 when it has none
const FLAGS = 0; // byte
const DROPPED = 1;
const TRIMMED = 2;

export interface ClipTable {
  /** Clips in the table. */
  readonly size: number;
  /** Adds a clip; false when it was there already. */
  add(id: string): boolean;
  has(id: string): boolean;
  /** Seconds of audio of a clip not dropped (0 when unknown); set by `setDuration`. */
  duration(id: string): number;
  setDuration(id: string, sec: number): void;
  /** Its dropped record's key when the clip is dropped. */
  droppedKey(id: string): number | undefined;
  /** Marks the clip dropped under `key`; false (and the key left) when it was dropped already. */
  drop(id: string, key: number): boolean;
  isDropped(id: string): boolean;
  /** Marks the clip trimmed; false when it was already. */
  trim(id: string): boolean;
  isTrimmed(id: string): boolean;
  lateKey(id: string): number | undefined;
  setLateKey(id: string, key: number): void;
}

export function clipTable(): ClipTable {
  const t = slotTable({ words: 2, bytes: 1 });
  const flagged = (id: string, flag: number) => {
    const s = t.slot(id);
    return s !== -1 && (t.byte(s, FLAGS) & flag) !== 0;
  };
  /** Sets `flag` on the clip (added if new); false when it was set. */
  const flag = (id: string, flag: number) => {
    const s = t.insert(id);
    const was = t.byte(s, FLAGS);
    if (was & flag) return false;
    t.setByte(s, FLAGS, was | flag);
    return true;
  };
  return {
    get size() {
      return t.size;
    },
    add: (id) => (t.insert(id), t.added),
    has: (id) => t.slot(id) !== -1,
    duration(id) {
      const s = t.slot(id);
      return s === -1 || t.byte(s, FLAGS) & DROPPED ? 0 : t.float(s, VALUE);
    },
    setDuration(id, sec) {
      const s = t.insert(id);
      if (!(t.byte(s, FLAGS) & DROPPED)) t.setFloat(s, VALUE, sec);
    },
    droppedKey(id) {
      const s = t.slot(id);
      return s !== -1 && t.byte(s, FLAGS) & DROPPED ? t.word(s, VALUE) : undefined;
    },
    drop(id, key) {
      if (!flag(id, DROPPED)) return false;
      t.setWord(t.slot(id), VALUE, key);
      return true;
    },
    isDropped: (id) => flagged(id, DROPPED),
    trim: (id) => flag(id, TRIMMED),
    isTrimmed: (id) => flagged(id, TRIMMED),
    lateKey(id) {
      const s = t.slot(id);
      const v = s === -1 ? 0 : t.word(s, LATE);
      return v === 0 ? undefined : v - 1;
    },
    setLateKey: (id, key) => t.setWord(t.insert(id), LATE, key + 1),
  };
}
