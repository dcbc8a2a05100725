/**
 * csclir-bench command line. This file only parses arguments and calls the
 * stage functions in `tasks/`, `datasets/` and `lexicons/`.
 *
 * @module
 */

import { Command, CommanderError } from "commander";
import { UserError } from "./tasks/errors.ts";

/** Builds the command-line program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command("csclir-bench")
    .description(
      "Reproduce 'Boosting Zero-shot Cross-lingual Retrieval by Training on Artificially " +
        "Code-Switched Data' (Litschko et al., 2023) and run your own variants.",
    )
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();
  program.addHelpText(
    "after",
    "\nExample:\n  deno task reproduce --profile xquad-r --quick\n",
  );

  // Subcommands are registered below, one block per stage.

  return program;
}

/** Runs the CLI: user errors print one line and exit 2; bugs keep their stack. */
export async function main(args: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(args, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UserError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
