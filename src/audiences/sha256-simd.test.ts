/**
 * The SIMD SHA-256 module against node:crypto (OpenSSL): every message length it accepts
 * (0–55 bytes), random bytes and UTF-8 text, lanes in any order, and the platforms' published
 * check values.
 */
import { hash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANES, MAX_ONE_BLOCK_MESSAGE, sha256SimdModuleBytes } from './sha256-simd.js';

const PAGES = 4;

type Run = (blocks: number, second: number, count: number) => void;
interface Simd {
  memory: WebAssembly.Memory;
  bytes: Uint8Array;
  pad: Run;
  run: Run;
}
let instance: Simd | null = null;

function instantiate(): Simd {
  if (instance !== null) return instance;
  const memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES, shared: true });
  const module = new WebAssembly.Instance(new WebAssembly.Module(sha256SimdModuleBytes(PAGES)), { env: { memory } });
  const exports = module.exports as { pad: Run; hash: Run };
  instance = { memory, bytes: new Uint8Array(memory.buffer), pad: exports.pad, run: exports.hash };
  return instance;
}

/** Hashes the messages with the module: blocks at 0, lengths and dests after, digests after those. */
function simdHashes(messages: Uint8Array[]): string[] {
  const { memory, bytes, pad, run } = instantiate();
  const count = Math.ceil(messages.length / LANES) * LANES;
  const blocks = 0;
  const lengths = count * 64;
  const dests = lengths + count * 4;
  const out = dests + count * 4;
  const scratch = out + count * 64;
  expect(scratch + 64).toBeLessThan(memory.buffer.byteLength);
  const i32 = new Int32Array(memory.buffer);
  // Junk in the blocks first: padding must not depend on what was there.
  bytes.set(randomBytes(count * 64), blocks);
  for (let m = 0; m < count; m++) {
    const message = messages[m];
    if (message !== undefined) bytes.set(message, blocks + m * 64);
    i32[(lengths >> 2) + m] = message?.length ?? 0;
    i32[(dests >> 2) + m] = message === undefined ? scratch : out + m * 64;
  }
  pad(blocks, lengths, count);
  run(blocks, dests, count);
  return messages.map((_, m) => Buffer.from(bytes.subarray(out + m * 64, out + m * 64 + 64)).toString('latin1'));
}

const reference = (message: Uint8Array): string => hash('sha256', message, 'hex');

describe('SHA-256, four lanes at a time (sha256-simd.ts)', () => {
  it('matches node:crypto for every length 0–55', () => {
    const messages = Array.from(
      { length: MAX_ONE_BLOCK_MESSAGE + 1 },
      (_, length) => new Uint8Array(randomBytes(length)),
    );
    expect(simdHashes(messages)).toEqual(messages.map(reference));
  });

  it('matches node:crypto on random batches (bytes and UTF-8 text, any count)', () => {
    const message = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: MAX_ONE_BLOCK_MESSAGE }),
      fc
        .string({ unit: 'grapheme', maxLength: 20 })
        .map((s) => new Uint8Array(Buffer.from(s, 'utf8')))
        .filter((b) => b.length <= MAX_ONE_BLOCK_MESSAGE),
    );
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 23 }), (messages) => {
        expect(simdHashes(messages)).toEqual(messages.map(reference));
      }),
      { numRuns: 200 },
    );
  });

  it('gives the published check values (audiences.md)', () => {
    const published: [string, string][] = [
      ['mary@example.com', 'f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79'],
      ['15559876543', '1ef970831d7963307784fa8688e8fce101a15685d62aa765fed23f3a2c576a4e'],
      ['adsapi', '49e0be2aeccfb51a8dee4c945c8a70a9ac500cf6f5cb08112575f74db9b1470d'],
      ['+18005550100', 'fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30'],
      ['janedoe@gmail.com', 'd6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69'],
      ['37493828222', '65b7e6dcf6f4310f8d7cbfbd78289a753062fb054d6664fb9aaac5df66a422d4'],
    ];
    const digests = simdHashes(published.map(([input]) => new Uint8Array(Buffer.from(input, 'utf8'))));
    expect(digests).toEqual(published.map(([, digest]) => digest));
  });

  it('is a valid module for any memory size', () => {
    for (const pages of [1, 2, 100, 65536]) expect(WebAssembly.validate(sha256SimdModuleBytes(pages))).toBe(true);
  });
});
