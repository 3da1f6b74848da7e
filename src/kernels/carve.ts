/**
 * Lays many arrays out inside two backend allocations (one Float32, one Int32), in a fixed order. Run once with
 * no storage to measure, then with storage to carve; a worker thread carving the same storage in the same order
 * gets views of the same arrays.
 */
export class Carver {
  floats = 0;
  ints = 0;

  constructor(private readonly f32: Float32Array | null = null, private readonly i32: Int32Array | null = null) {}

  f(length: number): Float32Array {
    const at = this.floats;
    this.floats += align(length);
    return this.f32 ? this.f32.subarray(at, at + length) : new Float32Array(0);
  }

  i(length: number): Int32Array {
    const at = this.ints;
    this.ints += align(length);
    return this.i32 ? this.i32.subarray(at, at + length) : new Int32Array(0);
  }
}

/** Keep every array 16-byte aligned for SIMD loads. */
const align = (n: number) => (n + 3) & ~3;
