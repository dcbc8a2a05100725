/**
 * Runs an external program and collects its output: the one way the harness
 * shells out to cluster tools (sbatch, squeue, sacct, scancel).
 *
 * @module
 */

/**
 * What an external program printed and how it ended.
 *
 * @example
 * ```ts
 * const done: CommandResult = { code: 0, stdout: "12\n", stderr: "" };
 * ```
 */
export interface CommandResult {
  /** Exit code. */
  code: number;
  /** Standard output as text. */
  stdout: string;
  /** Standard error as text. */
  stderr: string;
}

/**
 * Runs `cmd` with `args` and returns its exit code and output, or undefined
 * when the program is not installed (callers then fall back or report it).
 *
 * @example
 * ```ts
 * const r = await runCommand("squeue", ["-h", "-j", "12", "-o", "%T"]);
 * if (r === undefined) console.error("squeue is not installed");
 * ```
 */
export async function runCommand(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string } = {},
): Promise<CommandResult | undefined> {
  try {
    const out = await new Deno.Command(cmd, {
      args: [...args],
      cwd: opts.cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder();
    return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
