import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../runtime/server/server.ts";
import { cli, cliAsync, LOCAL_AWS_ENV } from "./cli.ts";

const GREET = "test/fixtures/asl/greet.asl.json";
const INVALID = "test/fixtures/asl/invalid-scope.asl.json";
const BAD_PATH = "$.States.Each.ItemProcessor.States.Add.Assign.total";

describe("durable2sfn validate (local)", () => {
  it("a valid machine exits 0", () => {
    const r = cli(["validate", GREET]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`valid: ${GREET}\n`);
  });

  it("an invalid machine exits 1 and names the JSON path of each problem", () => {
    const r = cli(["validate", INVALID]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`invalid: ${INVALID}`);
    expect(r.stdout).toContain(BAD_PATH);
  });

  it("a handler is compiled first; --json prints one report per state machine", () => {
    const r = cli(["validate", "test/fixtures/compiler/steps.ts", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ target: "test/fixtures/compiler/steps.ts (handler)", ok: true, problems: [] }]);
  });

  it("usage errors exit 2; compile errors exit 1", () => {
    expect(cli(["validate", "test/fixtures/asl/nope.asl.json"]).code).toBe(2);
    expect(cli(["validate", "test/pipeline/fixtures/nested-step.ts"]).code).toBe(1);
  });
});

describe("durable2sfn validate --remote (against serve)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("--endpoint-url: ValidateStateMachineDefinition answers OK or FAIL with locations", async () => {
    const ok = await cliAsync(["validate", GREET, "--remote", "--endpoint-url", server.url], LOCAL_AWS_ENV);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("remote (ValidateStateMachineDefinition): OK");
    const bad = await cliAsync(["validate", INVALID, "--remote", "--endpoint-url", server.url, "--json"], LOCAL_AWS_ENV);
    expect(bad.code).toBe(1);
    const [report] = JSON.parse(bad.stdout);
    expect(report.remote.result).toBe("FAIL");
    expect(report.remote.diagnostics[0]).toMatchObject({ code: "SCHEMA_VALIDATION_FAILED", location: "/States/Each/ItemProcessor/States/Add/Assign/total" });
  });

  it("honours AWS_ENDPOINT_URL_SFN, then AWS_ENDPOINT_URL", async () => {
    const viaService = await cliAsync(["validate", GREET, "--remote"], { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_SFN: server.url, AWS_ENDPOINT_URL: "http://127.0.0.1:9" });
    expect(viaService.code).toBe(0);
    const viaGeneral = await cliAsync(["validate", GREET, "--remote"], { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL: server.url });
    expect(viaGeneral.code).toBe(0);
    expect(viaGeneral.stdout).toContain("OK");
  });

  it("an unreachable endpoint exits 1 with a one-line reason, no stack trace", async () => {
    const r = await cliAsync(["validate", GREET, "--remote", "--endpoint-url", "http://127.0.0.1:9"], LOCAL_AWS_ENV);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("durable2sfn validate --remote: cannot reach http://127.0.0.1:9 (ECONNREFUSED)");
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });
});
