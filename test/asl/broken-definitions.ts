/**
 * Definitions asl-validator refuses, one per kind of problem it reports: schema errors (missing,
 * mistyped, unknown and out-of-range fields, `oneOf` branches of both query languages, formats),
 * JSONata that does not parse, bad JSONPath paths, transitions to missing or unreachable states,
 * duplicate names, its per-state "at most one / exactly one" rules, and data it cannot read (a key
 * named `States` in data, which makes it throw: asl-validator-check.ts hides those keys from it). Each is built from a
 * well-formed machine, so that one thing is wrong in it.
 */
type Definition = Record<string, unknown>;

const jsonata = (states: Definition, startAt = Object.keys(states)[0]): Definition => ({ QueryLanguage: "JSONata", StartAt: startAt, States: states });
const jsonpath = (states: Definition, startAt = Object.keys(states)[0]): Definition => ({ StartAt: startAt, States: states });
const task = { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f", End: true };

export const BROKEN_DEFINITIONS: Array<[string, Definition]> = [
  ["no StartAt", { States: { A: { Type: "Succeed" } } }],
  ["no States", { StartAt: "A" }],
  ["unknown top-level field", { ...jsonata({ A: { Type: "Succeed" } }), Extra: 1 }],
  ["negative TimeoutSeconds", { ...jsonata({ A: { Type: "Succeed" } }), TimeoutSeconds: -1 }],
  ["unknown query language", { ...jsonata({ A: { Type: "Succeed" } }), QueryLanguage: "XPath" }],
  ["unknown state type", jsonata({ A: { Type: "Bogus", End: true } })],
  ["state name over 80 characters", jsonata({ ["N".repeat(81)]: { Type: "Succeed" } })],
  ["unknown state field", jsonata({ A: { Type: "Pass", End: true, Colour: "red" } })],
  ["JSONPath field in a JSONata state", jsonata({ A: { Type: "Pass", End: true, InputPath: "$.a" } })],
  ["Output not an object or expression", jsonata({ A: { Type: "Pass", End: true, Output: [1, 2] } })],
  ["JSONata that does not parse", jsonata({ A: { Type: "Pass", End: true, Output: "{% $x + %}" } })],
  ["JSONata in Assign that does not parse", jsonata({ A: { Type: "Pass", End: true, Assign: { x: "{% ( %}" } } })],
  ["multi-line JSONata", jsonata({ A: { Type: "Pass", End: true, Output: "{% 1 +\n 2 %}" } })],
  ["bad JSONata Condition", jsonata({ C: { Type: "Choice", Choices: [{ Condition: "{% $a = %}", Next: "D" }], Default: "D" }, D: { Type: "Succeed" } })],
  ["Choice without Choices", jsonata({ C: { Type: "Choice", Default: "D" }, D: { Type: "Succeed" } })],
  ["Choice rule without Next", jsonata({ C: { Type: "Choice", Choices: [{ Condition: "{% true %}" }], Default: "D" }, D: { Type: "Succeed" } })],
  ["bad Resource ARN", jsonata({ T: { ...task, Resource: "not-an-arn" } })],
  ["Task without Resource", jsonata({ T: { Type: "Task", End: true } })],
  ["Retry without ErrorEquals", jsonata({ T: { ...task, Retry: [{ MaxAttempts: 2 }] } })],
  ["negative MaxAttempts", jsonata({ T: { ...task, Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: -1 }] } })],
  ["Catch without Next", jsonata({ T: { ...task, Catch: [{ ErrorEquals: ["States.ALL"] }] } })],
  ["Wait with a bad Timestamp", jsonpath({ W: { Type: "Wait", Timestamp: "yesterday", End: true } })],
  ["Wait with Seconds and Timestamp", jsonata({ W: { Type: "Wait", Seconds: 1, Timestamp: "2026-01-01T00:00:00Z", End: true } })],
  ["Wait with neither Seconds nor Timestamp", jsonata({ W: { Type: "Wait", End: true } })],
  ["state with End and Next", jsonata({ A: { Type: "Pass", End: true, Next: "B" }, B: { Type: "Succeed" } })],
  ["state with neither End nor Next", jsonata({ A: { Type: "Pass" } })],
  ["Task with TimeoutSeconds and TimeoutSecondsPath", jsonpath({ T: { ...task, TimeoutSeconds: 3, TimeoutSecondsPath: "$.t" } })],
  ["Task with HeartbeatSeconds and HeartbeatSecondsPath", jsonpath({ T: { ...task, HeartbeatSeconds: 3, HeartbeatSecondsPath: "$.h" } })],
  ["Fail with Cause and CausePath", jsonpath({ F: { Type: "Fail", Cause: "c", CausePath: "$.c" } })],
  ["Fail with Error and ErrorPath", jsonpath({ F: { Type: "Fail", Error: "e", ErrorPath: "$.e" } })],
  ["bad InputPath", jsonpath({ A: { Type: "Pass", End: true, InputPath: "$$$..[" } })],
  ["bad ResultPath", jsonpath({ A: { Type: "Pass", End: true, ResultPath: "$.a[*]" } })],
  ["bad path in Parameters", jsonpath({ A: { Type: "Pass", End: true, Parameters: { "x.$": "$.[" } } })],
  ["duplicate field after evaluation", jsonpath({ A: { Type: "Pass", End: true, Parameters: { x: 1, "x.$": "$.a" } } })],
  ["bad Choice Variable", jsonpath({ C: { Type: "Choice", Choices: [{ Variable: "$..[", StringEquals: "a", Next: "D" }], Default: "D" }, D: { Type: "Succeed" } })],
  ["Next to a missing state", jsonata({ A: { Type: "Pass", Next: "Nowhere" } })],
  ["StartAt a missing state", jsonata({ A: { Type: "Succeed" } }, "Nowhere")],
  ["Choice Default to a missing state", jsonata({ C: { Type: "Choice", Choices: [{ Condition: "{% true %}", Next: "D" }], Default: "Gone" }, D: { Type: "Succeed" } })],
  ["Catch to a missing state", jsonata({ T: { ...task, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Gone" }] } })],
  ["unreachable state", jsonata({ A: { Type: "Succeed" }, Orphan: { Type: "Succeed" } })],
  ["no terminal state", jsonata({ A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } })],
  [
    "duplicate state names across branches",
    jsonata({ P: { Type: "Parallel", End: true, Branches: [jsonata({ Same: { Type: "Succeed" } }), jsonata({ Same: { Type: "Succeed" } })] } }),
  ],
  ["Parallel branch with a missing target", jsonata({ P: { Type: "Parallel", End: true, Branches: [jsonata({ A: { Type: "Pass", Next: "Gone" } })] } })],
  ["Map without ItemProcessor", jsonata({ M: { Type: "Map", End: true } })],
  ["Map with ItemProcessor and Iterator", jsonpath({ M: { Type: "Map", End: true, ItemProcessor: jsonpath({ A: { Type: "Succeed" } }), Iterator: jsonpath({ A: { Type: "Succeed" } }) } })],
  ["Map with MaxConcurrency and MaxConcurrencyPath", jsonpath({ M: { Type: "Map", End: true, MaxConcurrency: 1, MaxConcurrencyPath: "$.m", ItemProcessor: jsonpath({ A: { Type: "Succeed" } }) } })],
  ["Map with Items and ItemsPath", jsonpath({ M: { Type: "Map", End: true, Items: [1], ItemsPath: "$.i", ItemProcessor: jsonpath({ A: { Type: "Succeed" } }) } })],
  ["Map with MaxItems and MaxItemsPath in its reader", jsonpath({ M: { Type: "Map", End: true, ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { MaxItems: 1, MaxItemsPath: "$.m" } }, ItemProcessor: jsonpath({ A: { Type: "Succeed" } }) } })],
  ["Map with MaxItemsPerBatch and MaxItemsPerBatchPath", jsonpath({ M: { Type: "Map", End: true, ItemBatcher: { MaxItemsPerBatch: 1, MaxItemsPerBatchPath: "$.b" }, ItemProcessor: jsonpath({ A: { Type: "Succeed" } }) } })],
  ["Map with a bad MaxConcurrency", jsonata({ M: { Type: "Map", End: true, MaxConcurrency: "many", ItemProcessor: jsonata({ A: { Type: "Succeed" } }) } })],
  ["Map processor with a missing target", jsonata({ M: { Type: "Map", End: true, ItemProcessor: jsonata({ A: { Type: "Pass", Next: "Gone" } }) } })],
  ["a variable named States", jsonata({ A: { Type: "Pass", End: true, Assign: { States: "{% 1 %}" } } })],
  ["Pass with a bad Assign", jsonata({ A: { Type: "Pass", End: true, Assign: "not an object" } })],
];
