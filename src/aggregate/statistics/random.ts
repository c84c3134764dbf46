/**
 * A small seeded pseudo-random generator, so a bootstrap interval printed tonight is printed again,
 * digit for digit, when the same data is judged with the same seed. `Math.random` cannot be seeded.
 *
 * mulberry32 (Tommy Ettinger, public domain): 32 bits of state, period 2^32, passes gjrand's
 * 32-bit tests and is far more than a 2,000-draw bootstrap needs. It is not for secrets.
 */

/** A draw in [0, 1) with 32 bits of resolution. */
export type Random = () => number;

/** A generator for `seed`; only its low 32 bits count (1 and 2^32 + 1 give the same stream). */
export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed)) throw new RangeError(`random seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n), for picking one of n clusters. */
export function drawIndex(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/**
 * A standard normal draw (Box–Muller). Used to plant effects in synthetic sessions; the
 * statistics themselves only resample.
 */
export function drawNormal(random: Random): number {
  // 1 - u keeps the logarithm away from 0, which the generator can return.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
