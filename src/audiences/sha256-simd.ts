/**
 * SHA-256 (FIPS 180-4) of many short messages at once: a WebAssembly module, generated here
 * as bytes, that hashes four one-block messages side by side in 128-bit SIMD lanes and
 * writes each digest as 64 lower-case hex characters straight into an output buffer.
 *
 * Why: an audience file hashes millions of short identifiers (an email, a phone number, a
 * name). Node's `crypto.hash` spends most of its ~350 ns per identifier crossing into C++ and
 * building a JavaScript string for the digest, not hashing (OpenSSL hashes a block in ~100
 * ns). Here one call hashes a whole batch laid out in shared memory, four lanes at a time,
 * and no digest ever becomes a JavaScript string.
 *
 * Scope: messages of at most 55 bytes (one padded block) — nearly every identifier. Longer
 * ones are hashed by the caller with `crypto.hash` (audience-file-writer.ts). The module is
 * proven against node:crypto in sha256-simd.test.ts (every length 0–55, random bytes and
 * text, the platforms' published check values) and the benchmark re-checks a million
 * digests against Python's hashlib.
 *
 * Memory layout (all offsets in bytes, chosen by the caller): `count` message blocks of 64
 * bytes at `blocks` (the message bytes at the start of each block; the rest is scratch),
 * their lengths as i32 at `lengths`, and for each the offset at which its 64 hex characters
 * are written, as i32 at `dests`. `count` is rounded up to a multiple of 4 by the caller,
 * with spare lanes pointed at a scratch destination.
 *
 * Exports: `pad(blocks, lengths, count)` applies the SHA-256 padding to each block in place;
 * `hash(blocks, dests, count)` hashes the padded blocks four at a time.
 */

// ---------------------------------------------------------------------------------------
// FIPS 180-4 constants
// ---------------------------------------------------------------------------------------

/** §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];

/** §5.3.3: the initial hash value, the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** The longest message that fits one padded block: 64 bytes − the 0x80 byte − the 8-byte length. */
export const MAX_ONE_BLOCK_MESSAGE = 55;
/** Lanes per SIMD step. */
export const LANES = 4;

// ---------------------------------------------------------------------------------------
// A minimal WebAssembly code emitter (binary format, WebAssembly 2.0 with SIMD and bulk memory)
// ---------------------------------------------------------------------------------------

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

const I32 = 0x7f;
const V128 = 0x7b;

/** Emits the body of one function. Locals are declared up front: i32s first, then v128s. */
class Code {
  readonly bytes: number[] = [];
  private op(...b: number[]): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }
  get(i: number): this {
    return this.op(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.op(0x21, ...uleb(i));
  }
  i32(n: number): this {
    return this.op(0x41, ...sleb(n | 0));
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32ShrU(): this {
    return this.op(0x76);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32Load(offset: number): this {
    return this.op(0x28, 2, ...uleb(offset));
  }
  i32Store8(offset: number): this {
    return this.op(0x3a, 0, ...uleb(offset));
  }
  memoryFill(): this {
    return this.op(0xfc, ...uleb(11), 0x00);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  block(): this {
    return this.op(0x02, 0x40);
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }
  end(): this {
    return this.op(0x0b);
  }
  private simd(opcode: number, ...imm: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...imm);
  }
  v128Load(offset: number): this {
    return this.simd(0x00, 0, ...uleb(offset));
  }
  v128Store(offset: number): this {
    return this.simd(0x0b, 0, ...uleb(offset));
  }
  v128Const(bytes: number[]): this {
    return this.simd(0x0c, ...bytes);
  }
  i32x4Const(n: number): this {
    const b = [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
    return this.v128Const([...b, ...b, ...b, ...b]);
  }
  shuffle(lanes: number[]): this {
    return this.simd(0x0d, ...lanes);
  }
  swizzle(): this {
    return this.simd(0x0e);
  }
  and(): this {
    return this.simd(0x4e);
  }
  or(): this {
    return this.simd(0x50);
  }
  xor(): this {
    return this.simd(0x51);
  }
  bitselect(): this {
    return this.simd(0x52);
  }
  i16x8ShrU(): this {
    return this.simd(0x8d);
  }
  i32x4Shl(): this {
    return this.simd(0xab);
  }
  i32x4ShrU(): this {
    return this.simd(0xad);
  }
  i32x4Add(): this {
    return this.simd(0xae);
  }
}

// ---------------------------------------------------------------------------------------
// The two functions
// ---------------------------------------------------------------------------------------

/**
 * pad(blocks, lengths, count): for each block, the message of length L ≤ 55 is followed by
 * 0x80, zeros, and L·8 as a 64-bit big-endian integer in the last 8 bytes (§5.1.1).
 * Locals: 0 blocks, 1 lengths, 2 count (params); 3 length.
 */
function padFunction(): number[] {
  const c = new Code();
  const [BLOCKS, LENGTHS, COUNT, LEN] = [0, 1, 2, 3];
  c.block();
  c.get(COUNT).i32(0).i32GtS().i32Eqz();
  c.brIf(0);
  c.loop();
  // len = lengths[0]
  c.get(LENGTHS).i32Load(0).set(LEN);
  // fill(blocks + len, 0, 64 - len)
  c.get(BLOCKS).get(LEN).i32Add().i32(0).i32(64).get(LEN).i32Sub().memoryFill();
  // blocks[len] = 0x80
  c.get(BLOCKS).get(LEN).i32Add().i32(0x80).i32Store8(0);
  // blocks[62] = (len*8) >> 8; blocks[63] = (len*8) & 255
  c.get(BLOCKS).get(LEN).i32(8).i32Mul().i32(8).i32ShrU().i32Store8(62);
  c.get(BLOCKS).get(LEN).i32(8).i32Mul().i32(255).i32And().i32Store8(63);
  // next
  c.get(BLOCKS).i32(64).i32Add().set(BLOCKS);
  c.get(LENGTHS).i32(4).i32Add().set(LENGTHS);
  c.get(COUNT).i32(1).i32Sub().set(COUNT);
  c.get(COUNT).i32(0).i32GtS().brIf(0);
  c.end();
  c.end();
  c.end();
  return [...uleb(1), ...uleb(1), I32, ...c.bytes];
}

// Byte lanes of i8x16.shuffle for the 4×4 transpose of 32-bit words, with each word's bytes
// reversed (SHA-256 reads words big-endian; WebAssembly memory is little-endian).
const swapped = (vector: 0 | 1, word: number): number[] => {
  const base = vector * 16 + word * 4;
  return [base + 3, base + 2, base + 1, base];
};
const plain = (vector: 0 | 1, word: number): number[] => {
  const base = vector * 16 + word * 4;
  return [base, base + 1, base + 2, base + 3];
};
/** [x.w0, y.w0, x.w1, y.w1] and [x.w2, y.w2, x.w3, y.w3], words byte-swapped. */
const INTERLEAVE_LOW = [...swapped(0, 0), ...swapped(1, 0), ...swapped(0, 1), ...swapped(1, 1)];
const INTERLEAVE_HIGH = [...swapped(0, 2), ...swapped(1, 2), ...swapped(0, 3), ...swapped(1, 3)];
/** [x.w0, x.w1, y.w0, y.w1] and [x.w2, x.w3, y.w2, y.w3]. */
const PAIRS_LOW = [...plain(0, 0), ...plain(0, 1), ...plain(1, 0), ...plain(1, 1)];
const PAIRS_HIGH = [...plain(0, 2), ...plain(0, 3), ...plain(1, 2), ...plain(1, 3)];
/** Interleaves the high-nibble and low-nibble characters of bytes 0–7 / 8–15. */
const HEX_FIRST = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? i / 2 : 16 + (i - 1) / 2));
const HEX_SECOND = HEX_FIRST.map((lane) => lane + 8);
const HEX_DIGITS = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));

/**
 * hash(blocks, dests, count): hashes `count` (a multiple of 4) padded blocks, four at a time.
 *
 * Locals: 0 blocks, 1 dests, 2 count (params, i32); then v128: 3–10 the working variables
 * a–h (renamed each round instead of moved), 11–26 the message schedule W as a ring of 16,
 * 27 T1, 28–31 transpose temporaries, 32–35 loaded vectors.
 */
function hashFunction(): number[] {
  const c = new Code();
  const [BLOCKS, DESTS, COUNT] = [0, 1, 2];
  const VAR = 3; // a..h: VAR + 0..7
  const W = 11; // W[t % 16]: W + t % 16
  const T1 = 27;
  const T = 28; // 28..31
  const V = 32; // 32..35

  /** Pushes rotr(x, n) for the v128 in local x. */
  const rotr = (x: number, n: number): void => {
    c.get(x).i32(n).i32x4ShrU();
    c.get(x)
      .i32(32 - n)
      .i32x4Shl();
    c.or();
  };
  /** Pushes rotr(x,a) ^ rotr(x,b) ^ rotr(x,c) (Σ0, Σ1 of §4.1.2). */
  const bigSigma = (x: number, a: number, b: number, d: number): void => {
    rotr(x, a);
    rotr(x, b);
    c.xor();
    rotr(x, d);
    c.xor();
  };
  /** Pushes rotr(x,a) ^ rotr(x,b) ^ (x >>> s) (σ0, σ1 of §4.1.2). */
  const smallSigma = (x: number, a: number, b: number, s: number): void => {
    rotr(x, a);
    rotr(x, b);
    c.xor();
    c.get(x).i32(s).i32x4ShrU();
    c.xor();
  };
  /**
   * 4×4 transpose of 32-bit words from locals src[0..3] into locals out[0..3], each word's bytes
   * reversed (big-endian ↔ little-endian), through the temporaries T+0..3.
   */
  const transpose = (src: readonly number[], out: readonly number[]): void => {
    for (let k = 0; k < 4; k++)
      c.get(src[2 * (k >> 1)]!)
        .get(src[2 * (k >> 1) + 1]!)
        .shuffle(k % 2 === 0 ? INTERLEAVE_LOW : INTERLEAVE_HIGH)
        .set(T + k);
    for (let k = 0; k < 4; k++)
      c.get(T + (k >> 1))
        .get(T + (k >> 1) + 2)
        .shuffle(k % 2 === 0 ? PAIRS_LOW : PAIRS_HIGH)
        .set(out[k]!);
  };
  const LOADED = [V + 0, V + 1, V + 2, V + 3];
  /** Loads four vectors at `base + 16·q + 64·j` (j = lane) and transposes them into locals out[0..3]. */
  const transposeIn = (q: number, out: number[]): void => {
    for (let j = 0; j < 4; j++)
      c.get(BLOCKS)
        .v128Load(64 * j + 16 * q)
        .set(V + j);
    transpose(LOADED, out);
  };
  /** Stores the 32 hex characters of the 16 bytes in local x at dests[destLane] + destOffset. */
  const storeHex = (x: number, destLane: number, destOffset: number): void => {
    // hi nibbles → T+0, lo nibbles → T+1 (as characters)
    c.v128Const(HEX_DIGITS);
    c.get(x).i32(4).i16x8ShrU().i32x4Const(0x0f0f0f0f).and();
    c.swizzle().set(T + 0);
    c.v128Const(HEX_DIGITS);
    c.get(x).i32x4Const(0x0f0f0f0f).and();
    c.swizzle().set(T + 1);
    // dest address: dests[destLane]
    c.get(DESTS).i32Load(4 * destLane);
    c.get(T + 0)
      .get(T + 1)
      .shuffle(HEX_FIRST);
    c.v128Store(destOffset);
    c.get(DESTS).i32Load(4 * destLane);
    c.get(T + 0)
      .get(T + 1)
      .shuffle(HEX_SECOND);
    c.v128Store(destOffset + 16);
  };

  c.block();
  c.get(COUNT).i32(0).i32GtS().i32Eqz();
  c.brIf(0);
  c.loop();

  // Message schedule W[0..15], lanes = the four messages.
  for (let q = 0; q < 4; q++) transposeIn(q, [W + 4 * q, W + 4 * q + 1, W + 4 * q + 2, W + 4 * q + 3]);

  // Working variables: slot[i] is the local holding variable i (a=0 … h=7) this round.
  const slot = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => VAR + i);
  for (let i = 0; i < 8; i++) c.i32x4Const(H0[i]!).set(slot[i]!);

  for (let t = 0; t < 64; t++) {
    const w = W + (t % 16);
    if (t >= 16) {
      // W[t] = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16]   (§6.2.2 step 1)
      smallSigma(W + ((t - 2) % 16), 17, 19, 10);
      c.get(W + ((t - 7) % 16)).i32x4Add();
      smallSigma(W + ((t - 15) % 16), 7, 18, 3);
      c.i32x4Add();
      c.get(w).i32x4Add().set(w);
    }
    const [a, b, cc, d, e, f, g, h] = slot as [number, number, number, number, number, number, number, number];
    // T1 = h + Σ1(e) + Ch(e,f,g) + K[t] + W[t]; Ch(e,f,g) = bitselect(f, g, e)
    c.get(h);
    bigSigma(e, 6, 11, 25);
    c.i32x4Add();
    c.get(f).get(g).get(e).bitselect().i32x4Add();
    c.i32x4Const(K[t]!).i32x4Add();
    c.get(w).i32x4Add().set(T1);
    // d = d + T1 (the new e)
    c.get(d).get(T1).i32x4Add().set(d);
    // h = T1 + Σ0(a) + Maj(a,b,c) (the new a); Maj(a,b,c) = bitselect(b, c, a ^ c)
    c.get(T1);
    bigSigma(a, 2, 13, 22);
    c.i32x4Add();
    c.get(b).get(cc).get(a).get(cc).xor().bitselect().i32x4Add();
    c.set(h);
    // Rename: a' = h slot, b' = a, c' = b, d' = c, e' = d slot, f' = e, g' = f, h' = g.
    slot.splice(0, 8, h, a, b, cc, d, e, f, g);
  }

  // H = H0 + working variables (§6.2.2 step 4), in place.
  for (let i = 0; i < 8; i++) c.get(slot[i]!).i32x4Const(H0[i]!).i32x4Add().set(slot[i]!);

  // Digest words 0–3 and 4–7 of each lane: transpose back (byte-swapped to big-endian), hex.
  for (let half = 0; half < 2; half++) {
    transpose(slot.slice(4 * half, 4 * half + 4), LOADED);
    for (let lane = 0; lane < 4; lane++) storeHex(V + lane, lane, 32 * half);
  }

  c.get(BLOCKS).i32(256).i32Add().set(BLOCKS);
  c.get(DESTS).i32(16).i32Add().set(DESTS);
  c.get(COUNT).i32(4).i32Sub().set(COUNT);
  c.get(COUNT).i32(0).i32GtS().brIf(0);
  c.end();
  c.end();
  c.end();
  // Locals: 33 v128 (a–h, W×16, T1, T×4, V×4).
  return [...uleb(1), ...uleb(33), V128, ...c.bytes];
}

/**
 * The module's bytes. It imports its memory as `env.memory` (shared, so a worker thread and
 * the main thread can use one buffer; maximum `maxPages` of 64 KiB).
 */
export function sha256SimdModuleBytes(maxPages: number): Uint8Array<ArrayBuffer> {
  const funcType = [0x60, ...vector([[I32], [I32], [I32]]), 0x00];
  const types = section(1, vector([funcType]));
  // Import: env.memory, shared (limits flag 0x03: min and max, shared).
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(1), ...uleb(maxPages)];
  const imports = section(2, vector([memoryImport]));
  const functions = section(3, vector([[0], [0]]));
  const exports = section(
    7,
    vector([
      [...name('pad'), 0x00, 0],
      [...name('hash'), 0x00, 1],
    ]),
  );
  const bodies = [padFunction(), hashFunction()].map((body) => [...uleb(body.length), ...body]);
  const code = section(10, vector(bodies));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...imports,
    ...functions,
    ...exports,
    ...code,
  ]);
}
