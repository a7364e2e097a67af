import fs, { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Write-ahead journal of audit records on local disk: a hook call's record is appended and fsynced here
 * before its answer is released, so an answered call keeps its record through SIGKILL, a crash or power
 * loss; the store replays the journal at start-up. Records are written to the database from memory as
 * before; a journal segment is removed (or truncated) once every record in it is in the database.
 *
 * Group commit: appends that arrive while a write + fdatasync is under way wait and go together in the
 * next one, so under load many hook calls share one fsync (one at a time, on libuv's thread pool).
 *
 * Files: `audit-NNNNNNNN.jnl` segments, one JSON record per line (JSON text never holds a raw newline; a
 * torn last line from a crash mid-write is skipped at replay: its call was not answered), and
 * `journal.lock` naming the process that owns the directory. One process per directory: a second live
 * process on the same host is refused at start-up.
 */
const write = promisify(fs.write);
const fdatasync = promisify(fs.fdatasync);
const ftruncate = promisify(fs.ftruncate);
const close = promisify(fs.close);
const unlink = promisify(fs.unlink);

const SEGMENT = /^audit-(\d{8})\.jnl$/;
const LOCK = 'journal.lock';
/** a segment this large is closed and a new one begun, so a busy journal is freed segment by segment */
const SEGMENT_MAX_BYTES = 16 * 1024 * 1024;

export interface JournalSegment {
  readonly seq: number;
  readonly file: string;
  /** records in this segment not yet in the database */
  outstanding: number;
}

interface Segment extends JournalSegment {
  fd: number | undefined;
  size: number;
}

interface Waiting {
  line: string;
  resolve: (s: JournalSegment) => void;
  reject: (e: Error) => void;
}

export interface JournalReplay {
  /** each record's JSON text, oldest first, with the segment to release once it is stored */
  records: Array<{ json: string; segment: JournalSegment }>;
  /** lines that were not JSON (a torn tail) */
  skipped: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class AuditJournal {
  private current: Segment;
  private readonly closedSegments = new Set<Segment>();
  private waiting: Waiting[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  /** files closed: nothing more to do (a late release must not touch a closed descriptor) */
  private finished = false;

  private constructor(
    readonly dir: string,
    private nextSeq: number,
    replayed: Segment[],
  ) {
    for (const s of replayed) this.closedSegments.add(s);
    this.current = this.openSegment();
  }

  /**
   * Takes the directory (creating it; refusing one a live process on this host holds) and reads what an
   * earlier process left. Synchronous on purpose: it runs once, before the service listens.
   */
  static open(dir: string): { journal: AuditJournal; replay: JournalReplay } {
    mkdirSync(dir, { recursive: true });
    const lockFile = path.join(dir, LOCK);
    const me = { host: os.hostname(), pid: process.pid };
    try {
      const held = JSON.parse(readFileSync(lockFile, 'utf8')) as { host?: string; pid?: number };
      if (held.host === me.host && typeof held.pid === 'number' && held.pid !== me.pid && isAlive(held.pid)) {
        throw new Error(`audit journal ${dir} is in use by process ${held.pid}; each process needs its own PBH_AUDIT_JOURNAL_DIR`);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && !(e instanceof SyntaxError)) throw e;
    }
    writeFileSync(lockFile, JSON.stringify(me));

    const replay: JournalReplay = { records: [], skipped: 0 };
    const segments: Segment[] = [];
    let maxSeq = 0;
    for (const name of readdirSync(dir).sort()) {
      const m = SEGMENT.exec(name);
      if (!m) continue;
      const seq = Number(m[1]);
      maxSeq = Math.max(maxSeq, seq);
      const file = path.join(dir, name);
      const segment: Segment = { seq, file, outstanding: 0, fd: undefined, size: 0 };
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          JSON.parse(line);
        } catch {
          replay.skipped += 1;
          continue;
        }
        segment.outstanding += 1;
        replay.records.push({ json: line, segment });
      }
      segments.push(segment);
    }
    const journal = new AuditJournal(dir, maxSeq + 1, segments);
    for (const s of segments) if (s.outstanding === 0) journal.removeClosed(s);
    return { journal, replay };
  }

  private openSegment(): Segment {
    const seq = this.nextSeq++;
    const file = path.join(this.dir, `audit-${String(seq).padStart(8, '0')}.jnl`);
    const fd = openSync(file, 'a');
    // the new name must survive power loss too
    const dirFd = openSync(this.dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    return { seq, file, outstanding: 0, fd, size: 0 };
  }

  /** resolves once `json` is on disk (fdatasync), with the segment to `release` when it is stored */
  append(json: string): Promise<JournalSegment> {
    if (this.closed) return Promise.reject(new Error('audit journal is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ line: `${json}\n`, resolve, reject });
      this.kick();
    });
  }

  /** one record of `segment` is in the database (or was given up for good) */
  release(segment: JournalSegment): void {
    const s = segment as Segment;
    s.outstanding -= 1;
    if (s.outstanding > 0) return;
    if (s === this.current) this.kick(); // truncated by the writer loop, between group commits
    else this.removeClosed(s);
  }

  private removeClosed(s: Segment): void {
    if (!this.closedSegments.delete(s)) return;
    const fd = s.fd;
    s.fd = undefined;
    void (async () => {
      if (fd !== undefined) await close(fd).catch(() => undefined);
      await unlink(s.file).catch(() => undefined);
    })();
  }

  private kick(): void {
    if (this.finished) return;
    this.running ??= this.run().finally(() => {
      this.running = undefined;
      const c = this.current;
      if (this.waiting.length || (c.outstanding === 0 && c.size > 0)) this.kick();
    });
  }

  /** the single writer: group commits, truncation of a fully stored segment, rotation */
  private async run(): Promise<void> {
    for (;;) {
      const s = this.current;
      if (s.outstanding === 0 && s.size > 0 && s.fd !== undefined) {
        // a failed truncate leaves stored records to be replayed once more: harmless
        if (await ftruncate(s.fd, 0).then(() => true, () => false)) s.size = 0;
        else if (this.waiting.length === 0) return;
      }
      if (this.waiting.length === 0) return;
      if (s.size >= SEGMENT_MAX_BYTES) {
        this.closedSegments.add(s);
        this.current = this.openSegment();
        continue;
      }
      const group = this.waiting;
      this.waiting = [];
      const buf = Buffer.from(group.map((w) => w.line).join(''));
      s.outstanding += group.length;
      try {
        let off = 0;
        while (off < buf.length) off += (await write(s.fd!, buf, off, buf.length - off)).bytesWritten;
        await fdatasync(s.fd!);
        s.size += buf.length;
        for (const w of group) w.resolve(s);
      } catch (err) {
        s.outstanding -= group.length;
        // what reached the file may be replayed later: harmless, inserts are idempotent
        s.size += buf.length;
        for (const w of group) w.reject(err as Error);
      }
    }
  }

  /** stop appending; remove the files if every record is stored, else keep them for the next start */
  async close(): Promise<{ kept: number }> {
    this.closed = true;
    await this.running;
    this.finished = true;
    const all = [...this.closedSegments, this.current];
    const kept = all.reduce((n, s) => n + s.outstanding, 0);
    for (const s of all) if (s.fd !== undefined) await close(s.fd).catch(() => undefined);
    if (kept === 0) for (const s of all) await unlink(s.file).catch(() => undefined);
    try {
      unlinkSync(path.join(this.dir, LOCK));
    } catch {
      /* already gone */
    }
    return { kept };
  }
}
