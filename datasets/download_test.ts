import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { UserError } from "../tasks/util/mod.ts";
import { readLock, urlPath } from "./cache.ts";
import { fetchDataset, fetchUrl, MissingFilesError, verifyCache } from "./download.ts";
import { MIRROR_MANIFEST } from "./mirror_manifest.ts";
import { mirrorDir } from "../tasks/fixtures/test_mirror.ts";

const DATA = (() => {
  const b = new Uint8Array(3 * 1024 * 1024 + 17);
  let x = 12345;
  for (let i = 0; i < b.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
})();
const SHA = createHash("sha256").update(DATA).digest("hex");

interface Served {
  url: string;
  requests: { range: string | null }[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (port 0) whose handler sees each request's Range. */
function serve(handler: (req: Request, n: number) => Response): Served {
  const requests: { range: string | null }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    requests.push({ range: req.headers.get("range") });
    return handler(req, requests.length);
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/files/data.bin`,
    requests,
    close: () => server.shutdown(),
  };
}

/** Serves DATA with Range support (206 + Content-Range). */
function rangeResponse(req: Request, body: Uint8Array<ArrayBuffer> = DATA): Response {
  const m = /^bytes=(\d+)-$/.exec(req.headers.get("range") ?? "");
  if (!m) return new Response(body, { headers: { "content-length": String(body.length) } });
  const start = Number(m[1]);
  return new Response(body.subarray(start), {
    status: 206,
    headers: { "content-range": `bytes ${start}-${body.length - 1}/${body.length}` },
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) out.push(...await filesUnder(p));
    else out.push(p);
  }
  return out;
}

async function tmp() {
  const dir = await Deno.makeTempDir({ prefix: "csclir-dl-" });
  return {
    dir,
    opts: {
      cacheDir: join(dir, "cache"),
      lockFile: join(dir, "lock.json"),
      progress: false,
      retryDelayMs: 5,
      mirror: "",
    },
  };
}

Deno.test("fetchUrl downloads, verifies and then serves from the cache", async () => {
  const s = serve((req) => rangeResponse(req));
  const { dir, opts } = await tmp();
  try {
    const path = await fetchUrl(s.url, opts, { sha256: SHA, size: DATA.length });
    assert.equal(path, urlPath(opts.cacheDir, s.url));
    assert.deepEqual(await Deno.readFile(path), DATA);
    assert.equal(await fetchUrl(s.url, opts, { sha256: SHA }), path);
    assert.equal(s.requests.length, 1, "second call must not touch the network");
    assert.deepEqual(await readLock(opts.lockFile), {}, "published hashes are not pinned");
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fetchUrl pins an unknown hash on first download and verifies it afterwards", async () => {
  let body: Uint8Array<ArrayBuffer> = DATA;
  const s = serve((req) => rangeResponse(req, body));
  const { dir, opts } = await tmp();
  try {
    await fetchUrl(s.url, opts);
    assert.deepEqual((await readLock(opts.lockFile))[s.url], { sha256: SHA, size: DATA.length });
    body = DATA.slice();
    body[1000] ^= 1;
    const other = { ...opts, cacheDir: join(dir, "cache2") };
    await assert.rejects(fetchUrl(s.url, other), /failed verification.*pinned in/);
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupted body fails with a clear error and leaves nothing in the cache", async () => {
  const bad = DATA.slice();
  bad[DATA.length - 1] ^= 0xff;
  const s = serve((req) => rangeResponse(req, bad));
  const { dir, opts } = await tmp();
  try {
    await assert.rejects(
      fetchUrl(s.url, opts, { sha256: SHA, size: DATA.length }),
      (e) => e instanceof UserError && e.message.includes(`expected ${SHA}`),
    );
    assert.deepEqual(await filesUnder(opts.cacheDir), []);
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a download cut mid-file resumes with Range in a new process", async () => {
  const half = 1024 * 1024 + 3;
  let hang: ReadableStreamDefaultController<Uint8Array> | undefined;
  const s = serve((req) => {
    if (req.headers.get("range")) return rangeResponse(req);
    // First request: half the file, then the connection stalls until the client dies.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        hang = c;
        c.enqueue(DATA.slice(0, half));
      },
    });
    return new Response(stream, { headers: { "content-length": String(DATA.length) } });
  });
  const { dir, opts } = await tmp();
  const script = join(dir, "child.ts");
  const mod = new URL("./download.ts", import.meta.url).href;
  await Deno.writeTextFile(
    script,
    `import { fetchUrl } from ${JSON.stringify(mod)};
const [url, cacheDir, lockFile, sha256, size] = Deno.args;
console.log(await fetchUrl(url, { cacheDir, lockFile, progress: false, retries: 0, mirror: "" },
  { sha256, size: Number(size) }));\n`,
  );
  const child = () =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        "--config",
        fromFileUrl(new URL("../deno.json", import.meta.url)),
        script,
        s.url,
        opts.cacheDir,
        opts.lockFile,
        SHA,
        String(DATA.length),
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  const partial = urlPath(opts.cacheDir, s.url) + ".partial";
  try {
    const first = child();
    const deadline = Date.now() + 20_000;
    while ((await Deno.stat(partial).catch(() => undefined))?.size !== half) {
      assert.ok(Date.now() < deadline, "the first process never wrote the partial file");
      await new Promise((r) => setTimeout(r, 20));
    }
    first.kill("SIGKILL");
    await first.output();
    try {
      hang?.close();
    } catch { /* already cancelled when the client died */ }
    assert.equal((await Deno.stat(partial)).size, half);

    const out = await child().output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const path = new TextDecoder().decode(out.stdout).trim();
    assert.deepEqual(await Deno.readFile(path), DATA);
    assert.deepEqual(s.requests.map((r) => r.range), [null, `bytes=${half}-`]);
    assert.equal(await Deno.stat(partial).catch(() => undefined), undefined);
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a connection error is retried in-process and resumed with Range", async () => {
  const s = serve((req, n) => {
    if (n === 1) return new Response("busy", { status: 503 });
    if (n === 2) {
      // Sends 1 MiB then aborts the body: the client sees a cut connection.
      let sent = false;
      const stream = new ReadableStream<Uint8Array>({
        async pull(c) {
          if (sent) {
            await new Promise((r) => setTimeout(r, 50));
            return c.error(new Error("connection cut by the test"));
          }
          sent = true;
          c.enqueue(DATA.slice(0, 1 << 20));
        },
      });
      return new Response(stream, { headers: { "content-length": String(DATA.length) } });
    }
    return rangeResponse(req);
  });
  const { dir, opts } = await tmp();
  try {
    const path = await fetchUrl(s.url, { ...opts, retries: 3 }, { sha256: SHA });
    assert.deepEqual(await Deno.readFile(path), DATA);
    assert.equal(s.requests[0].range, null);
    assert.equal(s.requests[1].range, null);
    assert.match(s.requests[2].range ?? "", /^bytes=\d+-$/);
    assert.ok(Number(/\d+/.exec(s.requests[2].range!)![0]) > 0);
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a server without Range support restarts the download from 0", async () => {
  const s = serve(() => new Response(DATA)); // ignores Range, always 200
  const { dir, opts } = await tmp();
  const partial = urlPath(opts.cacheDir, s.url) + ".partial";
  try {
    await Deno.mkdir(join(partial, ".."), { recursive: true });
    await Deno.writeFile(partial, new Uint8Array(5000).fill(7)); // stale bytes of an old attempt
    const path = await fetchUrl(s.url, opts, { sha256: SHA, size: DATA.length });
    assert.deepEqual(await Deno.readFile(path), DATA);
    assert.deepEqual(s.requests.map((r) => r.range), ["bytes=5000-"]);
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a 404 is a clear error without retries", async () => {
  const s = serve(() => new Response("no", { status: 404, statusText: "Not Found" }));
  const { dir, opts } = await tmp();
  try {
    await assert.rejects(
      fetchUrl(s.url, opts, { sha256: SHA }),
      (e) =>
        e instanceof UserError && /HTTP 404 Not Found/.test(e.message) && e.message.includes(s.url),
    );
    assert.equal(s.requests.length, 1);
    assert.deepEqual(await filesUnder(opts.cacheDir), []);
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the expected size is checked against free disk space before downloading", async () => {
  const s = serve((req) => rangeResponse(req));
  const { dir, opts } = await tmp();
  try {
    await assert.rejects(
      fetchUrl(s.url, opts, { size: 2 ** 50 }),
      /not enough disk space .* need 1125899906842624 bytes/,
    );
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("offline mode lists missing files and never touches the network", async () => {
  const s = serve((req) => rangeResponse(req));
  const { dir, opts } = await tmp();
  try {
    await assert.rejects(
      fetchUrl(s.url, { ...opts, offline: true }),
      (e) =>
        e instanceof MissingFilesError && e.urls[0] === s.url && /offline: 1 file/.test(e.message),
    );
    await assert.rejects(
      fetchDataset("xquad-r/de", { ...opts, offline: true }),
      (e) => e instanceof MissingFilesError && e.urls.length === 2,
    );
    assert.equal(s.requests.length, 0);
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mirror files are verified with the manifest hashes and copied into the cache", async () => {
  const mirror = await mirrorDir();
  const { dir, opts } = await tmp();
  try {
    const files = await fetchDataset("xquad-r/zh", { ...opts, mirror, offline: true });
    const url = [...MIRROR_MANIFEST.keys()].find((u) => u.endsWith("/xquad-r/zh.json"))!;
    assert.equal(files.data, urlPath(opts.cacheDir, url));
    const bytes = await Deno.readFile(files.data);
    assert.equal(
      createHash("sha256").update(bytes).digest("hex"),
      MIRROR_MANIFEST.get(url)!.sha256,
    );
    // A tampered mirror copy is rejected and nothing reaches the cache.
    const fake = join(dir, "fake-mirror");
    const copy = urlPath(fake, url);
    await Deno.mkdir(join(copy, ".."), { recursive: true });
    bytes[10] ^= 1;
    await Deno.writeFile(copy, bytes);
    const other = { ...opts, cacheDir: join(dir, "c2"), mirror: fake, offline: true };
    await assert.rejects(
      fetchUrl(url, other, MIRROR_MANIFEST.get(url)),
      /mirror copy .*zh\.json.* failed verification/,
    );
    assert.equal(await Deno.stat(urlPath(other.cacheDir, url)).catch(() => undefined), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("verifyCache re-hashes cached files and removes corrupted ones", async () => {
  const mirror = await mirrorDir();
  const { dir, opts } = await tmp();
  try {
    const files = await fetchDataset("xquad-r/de", { ...opts, mirror });
    assert.deepEqual(await verifyCache(["xquad-r/de", "xquad-r/el"], opts), {
      ok: 2, // de.json and the shared README
      removed: [],
      missing: 1, // el.json
    });
    const bytes = await Deno.readFile(files.data);
    bytes[0] ^= 1; // same size, different bytes
    await Deno.writeFile(files.data, bytes);
    const r = await verifyCache(["xquad-r/de"], opts);
    assert.deepEqual(r.removed, [files.data]);
    assert.equal(await Deno.stat(files.data).catch(() => undefined), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the mirror manifest table equals the mirror's MANIFEST.tsv", async () => {
  const tsv = await Deno.readTextFile(join(await mirrorDir(), "MANIFEST.tsv"));
  const rows = tsv.trim().split("\n").slice(1).map((l) => l.split("\t"));
  assert.equal(MIRROR_MANIFEST.size, rows.length);
  for (const [url, sha256, size] of rows) {
    assert.deepEqual(MIRROR_MANIFEST.get(url), { sha256, size: Number(size) });
  }
});

Deno.test("a same-size edit of a cached download is caught on reuse and fetched again", async () => {
  const mirror = await mirrorDir();
  const { dir, opts } = await tmp();
  try {
    const o = { ...opts, mirror, offline: true };
    const files = await fetchDataset("xquad-r/de", o);
    const good = await Deno.readFile(files.data);
    const bytes = good.slice();
    bytes[0] ^= 1; // same size, different bytes
    await Deno.writeFile(files.data, bytes);
    assert.equal((await fetchDataset("xquad-r/de", o)).data, files.data);
    assert.deepEqual(await Deno.readFile(files.data), good);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("concurrent fetches of one file share one download; a dead fetcher's lock is taken over", async () => {
  const s = serve((req) => rangeResponse(req));
  const { dir, opts } = await tmp();
  try {
    const dest = urlPath(opts.cacheDir, s.url);
    await Deno.mkdir(join(dest, ".."), { recursive: true });
    // Left by a killed process on this host (pid above the kernel's pid_max).
    await Deno.writeTextFile(
      `${dest}.lock`,
      JSON.stringify({ host: hostname(), pid: 2 ** 22 + 17, started: "2020-01-01T00:00:00Z" }),
    );
    const paths = await Promise.all(
      [1, 2, 3].map(() => fetchUrl(s.url, opts, { sha256: SHA, size: DATA.length })),
    );
    assert.deepEqual(new Set(paths), new Set([dest]));
    assert.equal(s.requests.length, 1);
    assert.deepEqual(await Deno.readFile(dest), DATA);
    assert.equal(await Deno.stat(`${dest}.lock`).catch(() => undefined), undefined);
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});
