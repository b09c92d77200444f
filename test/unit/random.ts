/** A small seeded generator (mulberry32) for randomized tests: the seed is printed, so a failure can be replayed. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed for a randomized test: IOI_TEST_SEED when set (to replay a failure), otherwise `fallback`. */
export function testSeed(fallback: number): number {
  const fromEnv = Number(process.env.IOI_TEST_SEED);
  return Number.isInteger(fromEnv) && process.env.IOI_TEST_SEED ? fromEnv : fallback;
}

/** Splits text into chunks: mostly small (1–8 characters, like model tokens), sometimes long, rarely all at once. */
export function randomChunks(text: string, random: Random): string[] {
  const chunks: string[] = [];
  const style = random();
  for (let i = 0; i < text.length; ) {
    const size = style < 0.1 ? text.length : random() < 0.85 ? 1 + Math.floor(random() * 8) : 1 + Math.floor(random() * 120);
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks;
}
