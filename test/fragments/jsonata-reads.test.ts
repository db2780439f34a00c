import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/index.ts";
import { localsReadByJsonata } from "../../compiler/emit/jsonata-reads.ts";

describe("the locals the machine's JSONata reads", () => {
  it("counts computing reads, not a fragment's input or a copy nobody reads", () => {
    const definition = {
      States: {
        Code: { Type: "Task", Arguments: { Payload: { vars: { items: "{% $items %}", moved: "{% $moved %}" } } }, Assign: { copy: "{% $moved %}", kept: "{% $src %}" } },
        Loop: { Type: "Choice", Choices: [{ Condition: "{% $index < $count($items) %}" }] },
        Done: { Type: "Succeed", Output: "{% $kept %}" },
      },
    };
    // items: counted; index: compared; kept: the output, so src (copied into it) too; moved and copy: only moved around.
    expect(localsReadByJsonata(definition)).toEqual(["index", "items", "kept", "src"]);
  });

  it("reads JSONata's parse: text in a string literal and a called function are not reads", () => {
    const definition = {
      States: {
        Name: { Type: "Pass", Output: '{% "cost $total of " & $count($items) & $string($label) %}' },
      },
    };
    expect(localsReadByJsonata(definition)).toEqual(["items", "label"]);
  });

  it("finds a for-of loop's items in a compiled sample, and the bundle hands them to the dispatcher", () => {
    const file = path.join(import.meta.dirname, "../../samples/data-pipeline/handler.ts");
    const [handler] = compileFile(file).handlers;
    const reads = localsReadByJsonata(handler!.definition);
    expect(reads).toContain("items");
    expect(handler!.fragmentsSource).toContain(`{ jsonataReads: ${JSON.stringify(reads)},`);
  });
});
