import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { CreateStateMachineCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { localClients, waitForExecution } from "../pipeline/aws.ts";
import { cliAsync, LOCAL_AWS_ENV } from "../pipeline/cli.ts";

describe("durable2sfn serve prints executions and waiting tokens", () => {
  it("prints each execution started and each task waiting, with a line that answers it when pasted", async () => {
    const child = spawn(process.execPath, ["cli/bin.mjs", "serve", "--port", "0", "--quiet"]);
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const until = async (pattern: RegExp): Promise<RegExpExecArray> => {
      for (let i = 0; i < 800; i++) {
        const m = pattern.exec(out);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`serve never printed ${pattern}: ${out}`);
    };
    try {
      const url = (await until(/API on (http:\/\/\S+)/))[1]!;
      expect(out).toContain(`console: ${url}/`);
      const { sfn } = localClients(url);
      const definition = readFileSync("test/fixtures/asl/approval.asl.json", "utf8");
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "printed", definition, roleArn: "arn:aws:iam::123456789012:role/r" }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "one", input: "{}" }));
      await until(new RegExp(`execution started: ${executionArn}\\n`));
      const waiting = await until(/task waiting: Approval in (\S+)\n {2}task token \(the callback id\): (\S+)\n {2}answer: (durable2sfn callback succeed .+)\n/);
      expect(waiting[1]).toBe(executionArn);
      const pasted = waiting[3]!.replace("durable2sfn ", "").replace("'{}'", "{}").split(" ");
      expect(pasted).toEqual(["callback", "succeed", waiting[2], "--result", "{}", "--endpoint-url", url]);
      expect((await cliAsync(pasted, LOCAL_AWS_ENV)).code).toBe(0);
      expect((await waitForExecution(sfn, executionArn!)).status).toBe("SUCCEEDED");
      sfn.destroy();
    } finally {
      child.kill("SIGTERM");
    }
  });
});
