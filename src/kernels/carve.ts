/**
 * Lays many arrays out inside two backend allocations (one Float32, one Int32), in a fixed order. Run once with
 * no storage to measure, then with storage to carve; a worker thread carving the same storage in the same order
 * gets views of the same arrays.
 */
export class Carver {
  /** Floats and ints laid out so far (the sizes of the two allocations, after measuring). */
  floatCount = 0;
  intCount = 0;

  constructor(
    private readonly f32: Float32Array | null = null,
    private readonly i32: Int32Array | null = null,
  ) {}

  /**
   * `line`: start on a 64-byte boundary of the storage (which the WebAssembly backend allocates line-aligned),
   * for arrays that several threads write different parts of.
   */
  float32(length: number, { line = false } = {}): Float32Array {
    if (line) this.floatCount = (this.floatCount + LINE_FLOATS - 1) & ~(LINE_FLOATS - 1);
    const at = this.floatCount;
    this.floatCount += align(length);
    return this.f32 ? this.f32.subarray(at, at + length) : new Float32Array(0);
  }

  /** Doubles in the float allocation (8-byte aligned: every array starts on 16 bytes). */
  float64(length: number): Float64Array {
    const at = this.floatCount;
    this.floatCount += align(2 * length);
    return this.f32 ? new Float64Array(this.f32.buffer, this.f32.byteOffset + at * 4, length) : new Float64Array(0);
  }

  int32(length: number): Int32Array {
    const at = this.intCount;
    this.intCount += align(length);
    return this.i32 ? this.i32.subarray(at, at + length) : new Int32Array(0);
  }
}

/** Floats in a 64-byte cache line. */
const LINE_FLOATS = 16;
/** Keep every array 16-byte aligned for SIMD loads. */
const align = (n: number) => (n + 3) & ~3;
