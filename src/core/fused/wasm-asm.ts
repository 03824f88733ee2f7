/**
 * Just enough of a WebAssembly assembler to write the fused engine's SIMD kernels in TypeScript (no
 * binary blob, no toolchain): LEB128 integers, sections, and the opcodes the kernels use. Code is
 * written as nested arrays of bytes (`Code`) and flattened once. Opcode numbers: WebAssembly core
 * spec 2.0, §5.4 (instructions) — SIMD instructions are prefixed by 0xFD and a LEB128 sub-opcode.
 */

export type Code = number | Code[];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

export function flat(code: Code[]): number[] {
  return (code as unknown[]).flat(Infinity as 1) as number[];
}

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A vector: its length then its flattened items. */
export const vec = (items: Code[]): number[] => [...uleb(items.length), ...flat(items)];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

// Variables and constants.
export const get = (i: number): Code => [0x20, uleb(i)];
export const set = (i: number): Code => [0x21, uleb(i)];
export const tee = (i: number): Code => [0x22, uleb(i)];
export const i32 = (v: number): Code => [0x41, sleb(v)];
// i32 arithmetic and comparisons (addresses are compared unsigned).
export const add = 0x6a;
export const sub = 0x6b;
export const mul = 0x6c;
export const and = 0x71;
export const shl = 0x74;
export const ltU = 0x49;
export const geU = 0x4f;
// Scalar f32 memory and arithmetic (memarg: log2 alignment, offset).
export const f32Load: Code = [0x2a, 2, 0];
export const f32Store: Code = [0x38, 2, 0];
export const f32Add = 0x92;
export const f32Mul = 0x94;
// Scalar f64.
export const f64Sub = 0xa1;
export const f64Mul = 0xa2;
export const f64PromoteF32 = 0xbb;
/** f64.store at a constant byte offset. */
export const f64StoreAt = (offset: number): Code => [0x39, 3, uleb(offset)];
export function f64Const(v: number): Code {
  return [0x44, Array.from(new Uint8Array(new Float64Array([v]).buffer))];
}
// SIMD.
const simd = (op: number): Code => [0xfd, uleb(op)];
export const v128Load: Code = [simd(0), 4, 0];
/** v128.load / v128.store with a constant byte offset added to the address. */
export const v128LoadAt = (offset: number): Code => [simd(0), 4, uleb(offset)];
export const v128StoreAt = (offset: number): Code => [simd(11), 4, uleb(offset)];
/** v128.load32_splat: one f32 from memory into all four lanes. */
export const v128Load32Splat: Code = [simd(9), 2, 0];
export const v128Store: Code = [simd(11), 4, 0];
export const f32x4Eq = simd(65);
export const f32x4Gt = simd(68);
export const f64x2Eq = simd(71);
export const f64x2Lt = simd(73);
/** v128.bitselect(a, b, mask): a where mask bits are set, else b. */
export const v128Bitselect = simd(82);
/** v128.load64_zero: two f32 into the low half (the high half zero); v128.store64_lane 0: the low half. */
export const v128Load64Zero: Code = [simd(93), 3, 0];
export const v128Store64Lane0: Code = [simd(91), 3, 0, 0];
/** f32x4.demote_f64x2_zero / f64x2.promote_low_f32x4: two lanes between float64 and float32. */
export const f32x4DemoteF64x2Zero = simd(94);
export const f64x2PromoteLowF32x4 = simd(95);
export const f64x2Add = simd(240);
export const f64x2Sub = simd(241);
export const f64x2Mul = simd(242);
export const f64x2Div = simd(243);
/** v128.store of an f64x2 (its two lanes as float64). */
export const v128StoreF64: Code = [simd(11), 3, 0];
export const v128And = simd(78);
export const f32x4Add = simd(228);
export const f32x4Sub = simd(229);
export const f32x4Mul = simd(230);
export const f32x4Div = simd(231);
export const f32x4Min = simd(232);
export const f32x4Max = simd(233);
/** Pseudo-min/max: pmin(a, b) = b < a ? b : a, pmax(a, b) = a < b ? b : a (one SSE instruction each,
 *  where min/max's NaN and ±0 rules cost several; a NaN in `a` passes through). */
export const f32x4PMin = simd(234);
export const f32x4PMax = simd(235);
/** v128.const with the same f32 in all four lanes. */
export function f32x4Const(v: number): Code {
  const b = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
  return [simd(12), Array.from(b)];
}
/** v128.const with the same f64 in both lanes. */
export function f64x2Const(v: number): Code {
  const b = new Uint8Array(new Float64Array([v, v]).buffer);
  return [simd(12), Array.from(b)];
}
// Control.
export const block = (...body: Code[]): Code => [0x02, 0x40, body, 0x0b];
export const loop = (...body: Code[]): Code => [0x03, 0x40, body, 0x0b];
export const ifElse = (then: Code[], otherwise: Code[]): Code => [0x04, 0x40, then, 0x05, otherwise, 0x0b];
export const br = (depth: number): Code => [0x0c, uleb(depth)];
export const brIf = (depth: number): Code => [0x0d, uleb(depth)];

export interface FuncDef {
  name: string;
  params: number[];
  /** Local declarations: [count, type] runs after the parameters. */
  locals: [number, number][];
  body: Code[];
}

/** Pages (64 KiB) a shared kernel memory may grow to: 1 GiB. */
export const SHARED_MAX_PAGES = 16384;

/**
 * A module importing its memory as env.mem and exporting the given functions (no results). `shared`:
 * the import is a shared memory of at most SHARED_MAX_PAGES (for kernels run by several threads).
 */
export function moduleBytes(funcs: FuncDef[], shared = false): Uint8Array<ArrayBuffer> {
  const types = funcs.map((f) => [0x60, vec(f.params), vec([])]);
  const bodies = funcs.map((f) => {
    const b = [...vec(f.locals.map(([n, t]) => [uleb(n), t])), ...flat(f.body), 0x0b];
    return [...uleb(b.length), ...b];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[name('env'), name('mem'), 0x02, ...(shared ? [0x03, 0x00, ...uleb(SHARED_MAX_PAGES)] : [0x00, 0x00])]])),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(funcs.map((f, i) => [name(f.name), 0x00, uleb(i)]))),
    ...section(10, vec(bodies)),
  ]);
}

/** Compiles kernels (moduleBytes), or null where WebAssembly, its SIMD or (shared) its threads are unavailable. */
export function compileKernels(funcs: FuncDef[], shared: boolean): WebAssembly.Module | null {
  try {
    const bytes = moduleBytes(funcs, shared);
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null;
  }
}
