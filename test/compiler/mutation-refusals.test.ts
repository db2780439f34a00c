import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";

/**
 * D2S2002, every form of change to the handler's variables and objects from inside a step body,
 * a submitter, a map function or a parallel branch (the fixtures in test/fixtures/bad mark the
 * line; this checks what the message says: which local, which form, and the SDK rule's hint).
 */
const bad = (file: string) => path.join(import.meta.dirname, "../fixtures/bad", file);

const cases: { file: string; name: string; form?: string; where: string }[] = [
  { file: "step-changes-push.ts", name: "audit", form: "`push(...)`", where: "step body" },
  { file: "step-changes-compound.ts", name: "counters", form: "a property assignment", where: "step body" },
  { file: "step-changes-increment.ts", name: "x", where: "step body" },
  { file: "step-changes-delete.ts", name: "o", form: "`delete`", where: "step body" },
  { file: "step-changes-map-set.ts", name: "seen", form: "`set(...)`", where: "step body" },
  { file: "step-changes-alias.ts", name: "audit", form: "`push(...)`", where: "step body" },
  { file: "step-changes-element.ts", name: "items", form: "a property assignment", where: "step body" },
  { file: "submitter-changes-object.ts", name: "sent", form: "`push(...)`", where: "submitter body" },
  { file: "check-changes-object.ts", name: "polls", form: "`push(...)`", where: "check body" },
  { file: "map-changes-push.ts", name: "audit", form: "`push(...)`", where: "map function" },
  { file: "map-changes-compound.ts", name: "counters", form: "a property assignment", where: "map function" },
  { file: "map-changes-delete.ts", name: "o", form: "`delete`", where: "map function" },
  { file: "map-changes-map-set.ts", name: "seen", form: "`set(...)`", where: "map function" },
  { file: "map-changes-item-alias.ts", name: "order", form: "a property assignment", where: "map's item" },
  { file: "map-changes-item.ts", name: "order", form: "a property assignment", where: "map's item" },
  { file: "branch-changes-push.ts", name: "audit", form: "`push(...)`", where: "parallel branch" },
  { file: "branch-changes-compound.ts", name: "counters", form: "a property assignment", where: "parallel branch" },
  { file: "branch-changes-delete.ts", name: "o", form: "`delete`", where: "parallel branch" },
  { file: "branch-changes-map-set.ts", name: "seen", form: "`set(...)`", where: "parallel branch" },
];

describe("D2S2002: changing the handler's variables and objects inside durable operations", () => {
  it.each(cases)("$file names `$name` and how it changes", ({ file, name, form, where }) => {
    const { diagnostics, handlers } = compileFile(bad(file));
    expect(handlers).toEqual([]);
    const errors = diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => d.code)).toEqual(["D2S2002"]);
    const [d] = errors;
    expect(d.message).toContain(`\`${name}\``);
    expect(d.message).toContain(where);
    if (form) expect(d.message).toContain(`(${form})`);
    expect(d.hint).toContain("should not be modified inside durable operations: it may cause inconsistent behavior during replay");
  });

  it.each(["map-changes-increment.ts", "branch-changes-increment.ts"])("%s: assigning an outer local stays D2S2013", (file) => {
    const errors = compileFile(bad(file)).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => d.code)).toEqual(["D2S2013"]);
    expect(errors[0].message).toContain("`x`");
  });
});
