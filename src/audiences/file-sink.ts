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
import { closeSync, fchmodSync, fsyncSync, openSync, writeSync } from 'node:fs';
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
  fd: number;
  hash: Hash;
  bytes: number;
}

interface SimdExports {
  pad(blocks: number, lengths: number, count: number): void;
  hash(blocks: number, dests: number, count: number): void;
}

export class FileSink {
  private readonly bytes: Uint8Array;
  private readonly simd: SimdExports;
  private readonly open = new Map<string, OpenFile>();
  readonly timings: SinkTimings = { hash: 0, write: 0, fileSha256: 0, fsync: 0 };

  constructor(private readonly init: SinkInit) {
    this.bytes = new Uint8Array(init.memory.buffer);
    const module = new WebAssembly.Module(sha256SimdModuleBytes(init.pages));
    const instance = new WebAssembly.Instance(module, { env: { memory: init.memory } });
    this.simd = instance.exports as unknown as SimdExports;
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
      now = performance.now();
      this.timings.fileSha256 += now - t;
      if (segment.close) {
        t = now;
        fsyncSync(file.fd);
        closeSync(file.fd);
        now = performance.now();
        this.timings.fsync += now - t;
        this.open.delete(segment.file);
        closed.push({ name: segment.file, bytes: file.bytes, sha256: file.hash.digest('hex') });
      }
    }
    return closed;
  }

  private fileFor(name: string): OpenFile {
    let file = this.open.get(name);
    if (file === undefined) {
      if (name.includes('/') || name.includes('\\') || name.startsWith('.'))
        throw new Error(`unsafe file name ${name}`);
      const fd = openSync(join(this.init.directory, name), 'wx', 0o600);
      fchmodSync(fd, 0o600);
      file = { fd, hash: createHash('sha256'), bytes: 0 };
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
export const SLOT_FULL = 1;
