// Seeded pseudo-random sequences for tests: the same seed gives the same data on every run and machine.
// Three classic generators, kept as they were when each test was written so its data did not change.

/** glibc's rand(): x ← (1103515245·x + 12345) mod 2³¹, as a fraction in [0, 1). */
export function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** Numerical Recipes' 32-bit generator: s ← (1664525·s + 1013904223) mod 2³², in [0, 1). */
export function lcg32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Park–Miller minimal standard: x ← 16807·x mod (2³¹ − 1), in (0, 1). */
export function parkMiller(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 16807) % 2147483647;
    return x / 2147483647;
  };
}
