/**
 * Synthetic MS MARCO-shaped data generated on the fly, for memory tests and
 * benchmarks of the streaming loaders without gigabytes on disk.
 *
 * @module
 */

import { readCollection } from "./mmarco.ts";

const WORDS = ("the of and to in a is that for it as was with be by on not he this are or his " +
  "from at which but have an they you were her she there been one all we their has would " +
  "passage retrieval language cross lingual query document ranking model training").split(" ");

/**
 * A `pid<TAB>passage` collection stream of about `bytes` bytes (passages of
 * 40-90 words, like MS MARCO), deterministic for a given size.
 */
export function syntheticCollection(bytes: number): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let x = 2463534242;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  // A pool of passages, cycled under fresh pids: generation stays cheap next to parsing.
  const pool = Array.from({ length: 1021 }, () => {
    const n = 40 + Math.floor(rand() * 50);
    return Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");
  });
  let sent = 0;
  let pid = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const lines: string[] = [];
      let size = 0;
      while (size < 1 << 18) {
        const line = `${pid}\t${pool[pid++ % pool.length]}.\n`;
        lines.push(line);
        size += line.length;
      }
      const chunk = enc.encode(lines.join(""));
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

/** What {@linkcode streamCollection} measured. */
export interface StreamStats {
  /** Passages read. */
  n: number;
  /** Wall-clock seconds. */
  secs: number;
  /** Peak resident set size in bytes, sampled every 50,000 passages. */
  peak: number;
}

/** Streams `bytes` of synthetic collection through `readCollection`, measuring time and peak RSS. */
export async function streamCollection(bytes: number): Promise<StreamStats> {
  const t0 = performance.now();
  let peak = Deno.memoryUsage().rss;
  let n = 0;
  const src = { stream: syntheticCollection(bytes), name: "synthetic" };
  for await (const _ of readCollection(src, "en")) {
    if (++n % 50000 === 0) peak = Math.max(peak, Deno.memoryUsage().rss);
  }
  return { n, secs: (performance.now() - t0) / 1000, peak: Math.max(peak, Deno.memoryUsage().rss) };
}

/**
 * Runs {@linkcode streamCollection} in a fresh Deno process, so that the peak
 * RSS is the loader's alone and not that of a test or bench runner that holds
 * other work (`deno test --parallel` runs test files in one process).
 */
export async function streamCollectionInChild(bytes: number): Promise<StreamStats> {
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(
      script,
      `import { streamCollection } from ${JSON.stringify(import.meta.url)};\n` +
        `console.log(JSON.stringify(await streamCollection(${bytes})));\n`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", "--no-config", script],
    }).output();
    if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } finally {
    await Deno.remove(script);
  }
}
