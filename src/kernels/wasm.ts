/**
 * The WebAssembly backend: the AssemblyScript kernels of assembly/kernels.ts over one shared memory. alloc hands
 * out Float32Array views into that memory (zero-copy: a kernel receives the view's byte offset as a pointer), and
 * the same memory can be given to worker threads.
 */
import type { Backend, FusedSequence } from './backend.js';

/** The exports of assembly/kernels.ts: pointers are byte offsets into the memory. */
interface KernelExports {
  gemm(out: number, a: number, b: number, m: number, k: number, n: number): void;
  spmm(
    out: number,
    start: number,
    end: number,
    index: number,
    value: number,
    b: number,
    m: number,
    n: number,
    ldb: number,
  ): void;
  rankUpdate(
    w: number,
    z: number,
    g: number,
    rows: number,
    count: number,
    k: number,
    n: number,
    ldz: number,
    zOff: number,
  ): void;
  spRankUpdate(
    w: number,
    start: number,
    end: number,
    index: number,
    value: number,
    g: number,
    rows: number,
    count: number,
    n: number,
    ldw: number,
  ): void;
  spUpdateForward(
    out: number,
    w: number,
    start: number,
    end: number,
    index: number,
    value: number,
    g: number,
    r: number,
    s: number,
    n: number,
    ldw: number,
  ): void;
  gemmBT(out: number, a: number, b: number, m: number, k: number, n: number): void;
  rowDots(out: number, a: number, b: number, m: number, k: number, lda: number, ldb: number): void;
  rowsAxpy(w: number, a: number, s: number, m: number, k: number, ldw: number, lda: number): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    len: number,
    alpha: number,
    beta1: number,
    beta2: number,
    epsilon: number,
  ): void;
  addRow(out: number, v: number, m: number, n: number): void;
  add(out: number, a: number, b: number, len: number): void;
  sigmoid(out: number, x: number, len: number, gain: number): void;
  sigmoidGrad(out: number, y: number, rowScale: number, colScale: number, m: number, n: number): void;
  densify(out: number, start: number, end: number, index: number, value: number, m: number, n: number): void;
  edLearn(
    plan: number,
    start: number,
    end: number,
    labels: number,
    index: number,
    value: number,
    outputs: number,
    errors: number,
    size: number,
    batch: number,
    u0: number,
    u1: number,
    k: number,
    single: number,
    mean: number,
    gain: number,
    stats: number,
  ): void;
  edLearnStacked(
    plan: number,
    from: number,
    to: number,
    start: number,
    end: number,
    labels: number,
    index: number,
    value: number,
    outputs: number,
    errors: number,
    size: number,
    gain: number,
  ): void;
}

/**
 * A view's byte offset, read once and kept on the view: reading byteOffset costs V8 ~15 ns (measured), several
 * times the cost of a small kernel call, and a view's offset never changes.
 */
const POINTER = Symbol('byte offset');
function ptr(a: ArrayBufferView & { [POINTER]?: number }): number {
  a[POINTER] ??= a.byteOffset;
  return a[POINTER];
}

const PAGE = 65536;
/** The kernels were compiled with --maximumMemory 32768 (2 GiB). */
export const MAX_PAGES = 32768;
/**
 * Allocations start here and are cache-line (64-byte) aligned: v128 loads are fastest aligned, and arrays that
 * worker threads write side by side (the stacked first layer, split between threads at a network) must not share
 * a line, or every write bounces the line between cores. The module's own static data (the 256-byte table of
 * Mathf.exp) sits at 1024; instantiating the module in each worker rewrites it in place.
 */
const HEAP_START = 8192;
export const CACHE_LINE = 64;

export function createMemory(initialPages = 256): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: initialPages, maximum: MAX_PAGES, shared: true });
}

/**
 * A bump allocator over the memory. `state` is shared with worker threads (its first element is the next free
 * byte), so that any thread can allocate and views never overlap.
 */
export class WasmBackend implements Backend {
  private readonly k: KernelExports;
  private readonly next: Int32Array;

  constructor(
    readonly name: string,
    readonly module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
  ) {
    this.k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
    // The allocation cursor; Atomics so that it stays right if a worker thread ever allocates too.
    this.next = new Int32Array(new SharedArrayBuffer(4));
    this.next[0] = HEAP_START;
  }

  private reserve(bytes: number): number {
    const size = (bytes + CACHE_LINE - 1) & ~(CACHE_LINE - 1);
    const at = Atomics.add(this.next, 0, size);
    const end = at + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) {
        throw new RangeError(
          `WebAssembly memory: cannot allocate ${bytes} bytes beyond the ${(MAX_PAGES * PAGE) / 2 ** 30} GiB maximum`,
        );
      }
      try {
        this.memory.grow(pages);
      } catch {
        // Another thread grew it meanwhile; fine if it is now large enough.
        if (this.memory.buffer.byteLength < end)
          throw new RangeError(`WebAssembly memory: cannot grow to ${end} bytes`);
      }
    }
    return at;
  }

  alloc(length: number): Float32Array {
    const at = this.reserve(length * 4); // before reading .buffer: reserving may grow the memory
    return new Float32Array(this.memory.buffer, at, length);
  }

  allocInt(length: number): Int32Array {
    const at = this.reserve(length * 4);
    return new Int32Array(this.memory.buffer, at, length);
  }

  gemm(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number): void {
    this.k.gemm(ptr(out), ptr(a), ptr(b), m, k, n);
  }

  spmm(
    out: Float32Array,
    start: Int32Array,
    end: Int32Array,
    index: Int32Array,
    value: Float32Array,
    b: Float32Array,
    m: number,
    n: number,
    ldb = n,
  ): void {
    this.k.spmm(ptr(out), ptr(start), ptr(end), ptr(index), ptr(value), ptr(b), m, n, ldb);
  }

  rankUpdate(
    w: Float32Array,
    z: Float32Array,
    g: Float32Array,
    rows: Int32Array,
    count: number,
    k: number,
    n: number,
    ldz: number,
    zOff: number,
  ): void {
    if (count > 0) this.k.rankUpdate(ptr(w), ptr(z), ptr(g), ptr(rows), count, k, n, ldz, zOff);
  }

  spRankUpdate(
    w: Float32Array,
    start: Int32Array,
    end: Int32Array,
    index: Int32Array,
    value: Float32Array,
    g: Float32Array,
    rows: Int32Array,
    count: number,
    n: number,
    ldw = n,
  ): void {
    if (count > 0)
      this.k.spRankUpdate(ptr(w), ptr(start), ptr(end), ptr(index), ptr(value), ptr(g), ptr(rows), count, n, ldw);
  }

  spUpdateForward(
    out: Float32Array,
    w: Float32Array,
    start: Int32Array,
    end: Int32Array,
    index: Int32Array,
    value: Float32Array,
    g: Float32Array,
    r: number,
    s: number,
    n: number,
    ldw = n,
  ): void {
    this.k.spUpdateForward(ptr(out), ptr(w), ptr(start), ptr(end), ptr(index), ptr(value), ptr(g), r, s, n, ldw);
  }

  rowDots(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, lda: number, ldb: number): void {
    this.k.rowDots(ptr(out), ptr(a), ptr(b), m, k, lda, ldb);
  }

  rowsAxpy(w: Float32Array, a: Float32Array, s: Float32Array, m: number, k: number, ldw: number, lda: number): void {
    this.k.rowsAxpy(ptr(w), ptr(a), ptr(s), m, k, ldw, lda);
  }

  gemmBT(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number): void {
    this.k.gemmBT(ptr(out), ptr(a), ptr(b), m, k, n);
  }

  adam(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    len: number,
    alpha: number,
    beta1: number,
    beta2: number,
    epsilon: number,
  ): void {
    this.k.adam(ptr(w), ptr(g), ptr(m), ptr(v), len, alpha, beta1, beta2, epsilon);
  }

  addRow(out: Float32Array, v: Float32Array, m: number, n: number): void {
    this.k.addRow(ptr(out), ptr(v), m, n);
  }

  add(out: Float32Array, a: Float32Array, b: Float32Array, len: number): void {
    this.k.add(ptr(out), ptr(a), ptr(b), len);
  }

  sigmoid(out: Float32Array, x: Float32Array, len: number, gain: number): void {
    this.k.sigmoid(ptr(out), ptr(x), len, gain);
  }

  sigmoidGrad(
    out: Float32Array,
    y: Float32Array,
    rowScale: Float32Array,
    colScale: Float32Array,
    m: number,
    n: number,
  ): void {
    this.k.sigmoidGrad(ptr(out), ptr(y), ptr(rowScale), ptr(colScale), m, n);
  }

  densify(
    out: Float32Array,
    start: Int32Array,
    end: Int32Array,
    index: Int32Array,
    value: Float32Array,
    m: number,
    n: number,
  ): void {
    this.k.densify(ptr(out), ptr(start), ptr(end), ptr(index), ptr(value), m, n);
  }

  edLearn(plan: Int32Array, q: FusedSequence, u0: number, u1: number, k: number, single: boolean, gain: number): void {
    this.k.edLearn(
      ptr(plan),
      ptr(q.start),
      ptr(q.end),
      ptr(q.labels),
      ptr(q.index),
      ptr(q.value),
      ptr(q.outputs),
      ptr(q.errors),
      q.size,
      q.batch,
      u0,
      u1,
      k,
      single ? 1 : 0,
      q.mean ? 1 : 0,
      gain,
      q.stats ? ptr(q.stats) : 0,
    );
  }

  edLearnStacked(plan: Int32Array, from: number, to: number, q: Omit<FusedSequence, 'mean'>, gain: number): void {
    this.k.edLearnStacked(
      ptr(plan),
      from,
      to,
      ptr(q.start),
      ptr(q.end),
      ptr(q.labels),
      ptr(q.index),
      ptr(q.value),
      ptr(q.outputs),
      ptr(q.errors),
      q.size,
      gain,
    );
  }
}
