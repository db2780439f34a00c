import { parseArgs } from "node:util";
import fc from "fast-check";
import { closeOracle } from "../../harness/verify.ts";
import { realNow } from "../../harness/oracle/real-time.ts";
import { printProgram, programArbitrary, type GeneratorOptions } from "./generator/index.ts";
import { checkProgram, describeOutcome, signatureOf } from "./runner.ts";
import type { WorkerMessage } from "./protocol.ts";
import { shrinkFailure, writeRegression } from "./shrink.ts";

/**
 * A child process of the fuzz CLI (cli.ts). Either checks programs [from, to) of a seed, or
 * shrinks one failing program and writes its regression files. Reports to the parent over IPC;
 * a fresh process per batch keeps memory flat (each oracle run loads the handler in a new module
 * namespace that is never freed).
 */

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      replay: { type: "string" },
      path: { type: "string" },
      last: { type: "boolean", default: false },
      signature: { type: "string" },
      exclude: { type: "string", default: "" },
      features: { type: "string", default: "" },
      "shrink-seconds": { type: "string", default: "600" },
      "keep-oracle": { type: "boolean", default: false },
    },
  });
  const seed = Number(values.seed);
  const generator: GeneratorOptions = {
    exclude: values.exclude ? (values.exclude.split(",") as GeneratorOptions["exclude"]) : [],
    features: values.features ? values.features.split(",") : [],
  };
  const keepOracle = values["keep-oracle"];
  const send = (m: WorkerMessage) =>
    new Promise<void>((resolve) => (process.send ? process.send(m, undefined, undefined, () => resolve()) : (console.log(JSON.stringify(m)), resolve())));

  if (values.replay !== undefined) {
    const index = Number(values.replay);
    let signature = values.signature ?? "";
    if (!signature) {
      const node = fc.sample(programArbitrary(generator), { seed, numRuns: index + 1 })[index]!;
      signature = signatureOf(await checkProgram(printProgram(node), { keepOracle }));
    }
    const path = values.path ?? String(index);
    const shrunk = signature === "equal" ? undefined : await shrinkFailure(signature, { seed, path, generator, timeLimitSeconds: Number(values["shrink-seconds"]), keepOracle });
    if (!shrunk) await send({ type: "shrink-lost", index, signature });
    else {
      const name = !shrunk.interrupted || values.last ? writeRegression(shrunk, { seed, index: String(index) }) : undefined;
      await send({
        type: "shrunk",
        index,
        signature,
        name,
        summary: describeOutcome(shrunk.outcome),
        tries: shrunk.tries,
        interrupted: shrunk.interrupted,
        path: shrunk.path,
        source: shrunk.program.source,
      });
    }
    return;
  }

  const from = Number(values.from);
  const to = Number(values.to);
  const nodes = fc.sample(programArbitrary(generator), { seed, numRuns: to });
  for (let index = from; index < to; index++) {
    const program = printProgram(nodes[index]!);
    const start = realNow();
    const outcome = await checkProgram(program, { keepOracle });
    await send({
      type: "result",
      index,
      kind: outcome.kind,
      signature: signatureOf(outcome),
      summary: describeOutcome(outcome),
      ms: realNow() - start,
      features: program.features,
    });
  }
}

main()
  .then(async () => {
    await closeOracle();
    process.exit(0);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
