/**
 * Memory that a repeated job takes again instead of allocating anew: the public API's fit builds its training
 * rows here, so that fitting 200 times allocates nothing after the first (a WebAssembly memory only grows; it
 * cannot free). Each fit begins with reset(); its allocations are then served, in order, from the chunks earlier
 * fits left, and a chunk is added only when a request fits in none. Browser-safe.
 */
import type { Allocator } from './sparse.js';

const ALIGN = 64;
/** New chunks are this much larger than the request, so that slightly larger data does not allocate again. */
const SLACK = 1.25;

interface Chunk {
  buffer: ArrayBufferLike;
  /** Byte offset of the chunk in buffer, and its length in bytes. */
  offset: number;
  bytes: number;
}

export class Arena implements Allocator {
  private readonly chunks: Chunk[] = [];
  /** The chunk being filled and the next free byte in it. */
  private current = 0;
  private used = 0;

  constructor(private readonly memory: Allocator) {}

  /** Everything handed out before is free again (the caller no longer uses it). */
  reset(): void {
    this.current = 0;
    this.used = 0;
  }

  /** Bytes held from the backing allocator (for tests and logs). */
  get reservedBytes(): number {
    return this.chunks.reduce((a, c) => a + c.bytes, 0);
  }

  alloc(length: number): Float32Array {
    const at = this.take(length * 4);
    return new Float32Array(at.buffer, at.offset, length).fill(0);
  }

  allocInt(length: number): Int32Array {
    const at = this.take(length * 4);
    return new Int32Array(at.buffer, at.offset, length).fill(0);
  }

  private take(bytes: number): { buffer: ArrayBufferLike; offset: number } {
    const size = Math.ceil(Math.max(bytes, 4) / ALIGN) * ALIGN;
    for (; this.current < this.chunks.length; this.current++, this.used = 0) {
      const c = this.chunks[this.current];
      if (this.used + size <= c.bytes) {
        const offset = c.offset + this.used;
        this.used += size;
        return { buffer: c.buffer, offset };
      }
    }
    const floats = Math.ceil((size * SLACK) / ALIGN) * (ALIGN / 4);
    const region = this.memory.alloc(floats);
    this.chunks.push({ buffer: region.buffer, offset: region.byteOffset, bytes: floats * 4 });
    this.used = size;
    return { buffer: region.buffer, offset: region.byteOffset };
  }
}
