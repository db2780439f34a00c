import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./cli.ts";

/**
 * A file with several durable handlers: build writes one folder each (or the one --handler names),
 * run and verify need --handler and verify runs that same export under the SDK. The fixture
 * (test/fixtures/compiler/decl-export-later.ts) exports `handler`, `summed` and `default`.
 */
const several = "test/fixtures/compiler/decl-export-later.ts";
const collision = "test/fixtures/compiler/decl-collision.ts";
const dir = mkdtempSync(path.join(tmpdir(), "d2s-handler-choice-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (name: string, event: unknown, handler?: string) => {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ event, ...(handler && { handler }) }));
  return file;
};

describe("build", () => {
  it("builds every durable handler of the file, each in its own folder", () => {
    const out = path.join(dir, "all");
    const r = cli(["build", several, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    // and, as several handlers build, one stack of them all
    expect(readdirSync(out).sort()).toEqual(["default", "handler", "summed", "template.yaml"]);
  });

  it("--handler builds only that one", () => {
    const out = path.join(dir, "one");
    const r = cli(["build", several, "--out", out, "--handler", "summed"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(["summed"]);
  });

  it("--handler naming no handler of the file is a usage error that lists them, and writes nothing", () => {
    const out = path.join(dir, "none");
    const r = cli(["build", several, "--out", out, "--handler", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`durable2sfn: ${several} exports no durable handler "nope" (found: handler, summed, default)`);
    expect(existsSync(out)).toBe(false);
  });
});

describe("run", () => {
  it("--handler runs that handler", () => {
    const r = cli(["run", several, "--handler", "summed", "--input", '{"items":[4,5]}', "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "SUCCEEDED", result: 9 });
  });

  it("without --handler, a file with several is a usage error", () => {
    const r = cli(["run", several, "--input", "{}"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`durable2sfn: ${several} exports several durable handlers (handler, summed, default): choose one with --handler`);
  });

  it("a scenario's \"handler\" field chooses the handler as --handler does", () => {
    const r = cli(["run", several, "--scenario", scenario("run-field", { items: [4, 5] }, "summed"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "SUCCEEDED", result: 9 });
  });

  it("--handler and a scenario naming another export is a usage error", () => {
    const r = cli(["run", several, "--handler", "handler", "--scenario", scenario("run-clash", {}, "summed")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`durable2sfn: --handler handler and the scenario's "handler": "summed" name different exports`);
  });

  it("a scenario \"handler\" that is not a name is refused with the field named", () => {
    const file = path.join(dir, "bad-field.json");
    writeFileSync(file, JSON.stringify({ event: {}, handler: 3 }));
    const r = cli(["run", several, "--scenario", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`"handler" must be the name of an exported durable handler`);
  });

  it("--handler is refused for a state machine file", () => {
    const r = cli(["run", "samples/machines/order-flow.asl.json", "--handler", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--handler applies to handler files only");
  });
});

describe("verify", () => {
  it.each([
    ["summed", { items: [1, 2, 3] }, 6],
    ["default", { times: 2 }, ["hello #0", "hello #1"]],
    ["handler", { name: "ann" }, { text: "hello ann" }],
  ])("--handler %s runs that export on both sides", (name, event, result) => {
    const r = cli(["verify", several, "--handler", name, "--scenario", scenario(`verify-${name}`, event), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.equal).toBe(true);
    expect(v.sdk.result).toEqual(result);
    expect(v.compiled.result).toEqual(result);
  });

  it("a scenario's \"handler\" field chooses the export on both sides", () => {
    const r = cli(["verify", several, "--scenario", scenario("verify-field", { items: [2, 3] }, "summed"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.equal).toBe(true);
    expect(v.compiled.result).toBe(5);
  });

  it("cost takes the handler from its scenarios, and refuses scenarios naming different ones", () => {
    const ok = cli(["cost", several, "--scenario", scenario("cost-field", { items: [1] }, "summed"), "--json"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).scenarios[0]).toMatchObject({ status: "SUCCEEDED" });
    const clash = cli(["cost", several, "--scenario", scenario("cost-a", {}, "summed"), scenario("cost-b", {}, "handler")]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain("the scenarios name different handlers (summed, handler)");
  });

  it("without --handler, a file with several is a usage error", () => {
    const r = cli(["verify", several, "--scenario", scenario("verify-none", {})]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("choose one with --handler");
  });
});

describe("a plain export named handler beside the durable one", () => {
  it("the bundle's handler is the fragments dispatcher; the module keeps its own function for its code", async () => {
    const out = path.join(dir, "collision");
    const r = cli(["build", collision, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const bundle = path.join(out, "durable", "fragments", "index.mjs");
    const mod = (await import(pathToFileURL(bundle).href)) as { handler: (event: unknown) => Promise<unknown> };
    await expect(mod.handler({ fragment: "no-such-fragment" })).rejects.toMatchObject({ name: "UnknownFragment" });
  });
});
