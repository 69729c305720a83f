/**
 * The back half of the audience file writer: hashes a filled slot of shared memory (the SIMD
 * SHA-256 module of sha256-simd.ts) and appends its bytes to the output files, keeping each
 * file's SHA-256 as it goes. It runs in a worker thread (file-sink-worker.ts) while the main
 * thread reads and normalizes the next rows, or inline on the main thread.
 *
 * Files are created with O_EXCL and mode 0600 (owner only, whatever the umask: fchmod after
 * open), and fsynced before they are reported closed, so a manifest never describes a file
 * that is not on disk. Only Node built-ins and sha256-simd.ts are imported: the worker loads
 * this module on its own.
 */
import { createHash, type Hash } from 'node:crypto';
import { close, closeSync, fchmodSync, fdatasync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { sha256SimdModuleBytes } from './sha256-simd.js';

/** Where one slot's hashing inputs sit in the shared memory (byte offsets). */
export interface SlotMessages {
  blocks: number;
  lengths: number;
  dests: number;
  /** Messages to hash; a multiple of 4 (spare lanes point at the scratch destination). */
  count: number;
}

/** A run of bytes of one slot that belongs to one file, in order. */
export interface Segment {
  /** File name, unique within the export directory. */
  file: string;
  start: number;
  end: number;
  /** This segment ends the file: fsync it, close it, report its size and SHA-256. */
  close: boolean;
}

export interface SinkJob {
  slot: number;
  messages: SlotMessages;
  segments: Segment[];
}

export interface ClosedFile {
  name: string;
  bytes: number;
  sha256: string;
}

/** Milliseconds spent per phase, summed over the jobs. */
export interface SinkTimings {
  hash: number;
  write: number;
  fileSha256: number;
  fsync: number;
}

export interface SinkInit {
  memory: WebAssembly.Memory;
  /** Pages of the memory: the module's declared maximum must match. */
  pages: number;
  directory: string;
}

interface OpenFile {
  path: string;
  fd: number;
  hash: Hash;
  bytes: number;
  /** Bytes written since the last background flush began. */
  unflushed: number;
  /** A read-only descriptor of the same file for background flushes (fdatasync), once one has run. */
  flushFd: number | null;
  flushing: boolean;
  /** The file is closed: the flush descriptor is closed as soon as no flush uses it. */
  closed: boolean;
}

/**
 * Every 32 MB written, the file's data is flushed to disk in the background (fdatasync on the
 * libuv thread pool), so that the fsync which closes the file waits for the last few MB only,
 * not the whole file. The flush uses a descriptor of its own, so closing the file never races it.
 */
const FLUSH_EVERY = 32 << 20;

export interface SimdExports {
  pad(blocks: number, lengths: number, count: number): void;
  hash(blocks: number, dests: number, count: number): void;
}

/** The SIMD SHA-256 module over the writer's shared memory (on any thread). */
export function instantiateSimd(memory: WebAssembly.Memory, pages: number): SimdExports {
  const module = new WebAssembly.Module(sha256SimdModuleBytes(pages));
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as SimdExports;
}

export class FileSink {
  private readonly bytes: Uint8Array;
  private readonly simd: SimdExports;
  private readonly open = new Map<string, OpenFile>();
  readonly timings: SinkTimings = { hash: 0, write: 0, fileSha256: 0, fsync: 0 };

  constructor(private readonly init: SinkInit) {
    this.bytes = new Uint8Array(init.memory.buffer);
    this.simd = instantiateSimd(init.memory, init.pages);
  }

  /** Hashes the slot's messages into place, then writes its segments. Returns the files it closed. */
  process(job: SinkJob): ClosedFile[] {
    let t = performance.now();
    const { blocks, lengths, dests, count } = job.messages;
    if (count > 0) {
      this.simd.pad(blocks, lengths, count);
      this.simd.hash(blocks, dests, count);
    }
    let now = performance.now();
    this.timings.hash += now - t;

    const closed: ClosedFile[] = [];
    for (const segment of job.segments) {
      const file = this.fileFor(segment.file);
      const view = this.bytes.subarray(segment.start, segment.end);
      t = now;
      let written = 0;
      while (written < view.length) written += writeSync(file.fd, view, written);
      now = performance.now();
      this.timings.write += now - t;
      t = now;
      file.hash.update(view);
      file.bytes += view.length;
      file.unflushed += view.length;
      if (file.unflushed >= FLUSH_EVERY && !file.flushing) this.flushInBackground(file);
      now = performance.now();
      this.timings.fileSha256 += now - t;
      if (segment.close) {
        t = now;
        fsyncSync(file.fd);
        closeSync(file.fd);
        this.release(file);
        now = performance.now();
        this.timings.fsync += now - t;
        this.open.delete(segment.file);
        closed.push({ name: segment.file, bytes: file.bytes, sha256: file.hash.digest('hex') });
      }
    }
    return closed;
  }

  private flushInBackground(file: OpenFile): void {
    file.unflushed = 0;
    file.flushFd ??= openSync(file.path, 'r');
    file.flushing = true;
    // A failed background flush is not reported: the fsync that closes the file is the one
    // whose failure fails the export.
    fdatasync(file.flushFd, () => {
      file.flushing = false;
      if (file.closed) this.release(file);
    });
  }

  /** After the file is closed: its flush descriptor too, unless a flush is still using it. */
  private release(file: OpenFile): void {
    file.closed = true;
    if (file.flushing || file.flushFd === null) return;
    close(file.flushFd, () => undefined);
    file.flushFd = null;
  }

  private fileFor(name: string): OpenFile {
    let file = this.open.get(name);
    if (file === undefined) {
      if (name.includes('/') || name.includes('\\') || name.startsWith('.'))
        throw new Error(`unsafe file name ${name}`);
      const path = join(this.init.directory, name);
      const fd = openSync(path, 'wx', 0o600);
      fchmodSync(fd, 0o600);
      file = {
        path,
        fd,
        hash: createHash('sha256'),
        bytes: 0,
        unflushed: 0,
        flushFd: null,
        flushing: false,
        closed: false,
      };
      this.open.set(name, file);
    }
    return file;
  }

  /** Closes every file still open (after a failure; the writer then removes the directory). */
  abort(): void {
    for (const file of this.open.values()) {
      try {
        closeSync(file.fd);
      } catch {
        // Already closed or never fully opened: nothing left to release.
      }
      this.release(file);
    }
    this.open.clear();
  }
}

// ---------------------------------------------------------------------------------------
// The worker protocol (file-sink-worker.ts)
// ---------------------------------------------------------------------------------------

export type ToWorker =
  | { type: 'init'; init: SinkInit; state: SharedArrayBuffer }
  | { type: 'job'; job: SinkJob }
  | { type: 'finish' }
  | { type: 'abort' };

export type FromWorker =
  | { type: 'done'; slot: number; closed: ClosedFile[] }
  | { type: 'finished'; timings: SinkTimings }
  | { type: 'aborted' }
  | { type: 'failed'; message: string };

/** Slot states in the shared state words. */
export const SLOT_FREE = 0;
/** Handed to the hashing thread. */
export const SLOT_FULL = 1;
/** Being filled by the main thread. */
export const SLOT_FILLING = 2;
