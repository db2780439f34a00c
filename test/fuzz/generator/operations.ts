import fc from "fast-check";
import type { CallbackAnswer, CallbackNode, Duration, ErrorClass, Fault, Retry, StepNode, WaitNode } from "./ast.ts";
import { boolExpr, numExpr, strExpr, STRINGS } from "./expressions.ts";
import type { Printer } from "./printer.ts";

/**
 * Durable operations:
 * - steps, named (literal or computed name) or not, whose body throws depending on
 *   `stepCtx.attempt` (`attempt <= k`, `attempt <= event.failUntil`), on the input
 *   (`event.failAt === "<this step>"`) or on locals, with `createRetryStrategy({maxAttempts,
 *   initialDelay: {seconds}, jitter: NONE[, backoffRate][, retryableErrors]})`,
 *   `retryPresets.noRetry` or the default strategy; the result discarded, bound, added, stored in a
 *   field or destructured;
 * - waits, literal (`{seconds}`/`{minutes}`) or computed;
 * - waitForCallback with a timeout, whose answers (success / failure / timeout) are part of the
 *   generated scenario, and whose submitter may fail on the input.
 */

export const ERROR_CLASSES: ErrorClass[] = ["Error", "TypeError", "RangeError", "OrderError", "LimitError"];
export const errorClass = fc.constantFrom(...ERROR_CLASSES);

const retry: fc.Arbitrary<Retry> = fc.oneof(
  { arbitrary: fc.constant<Retry>({ k: "default" }), weight: 1 },
  { arbitrary: fc.constant<Retry>({ k: "noRetry" }), weight: 2 },
  {
    arbitrary: fc.record({
      k: fc.constant("custom" as const),
      maxAttempts: fc.integer({ min: 1, max: 4 }),
      delay: fc.integer({ min: 1, max: 10 }),
      backoffRate: fc.option(fc.constantFrom(1, 2), { nil: null }),
      retryable: fc.boolean(),
    }),
    weight: 3,
  },
);

const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((n): Fault => ({ k: "attemptAtMost", n })),
  fc.constant<Fault>({ k: "attemptAtMostEvent" }),
  fc.constant<Fault>({ k: "failAt" }),
  boolExpr(1).map((c): Fault => ({ k: "cond", c })),
  boolExpr(1).map((c): Fault => ({ k: "condFirstAttempt", c })),
);

export const step: fc.Arbitrary<StepNode> = fc.record({
  k: fc.constant("step" as const),
  name: fc.constantFrom("literal" as const, "literal" as const, "literal" as const, "computed" as const, "none" as const),
  namePick: numExpr(0),
  fault: fc.option(fault, { nil: null, freq: 3 }),
  transient: fc.boolean(),
  errorClass,
  result: numExpr(2),
  second: strExpr(1),
  retry,
  bind: fc.constantFrom(
    "discard" as const,
    "const" as const,
    "const" as const,
    "let" as const,
    "assign" as const,
    "add" as const,
    "field" as const,
    "destructObject" as const,
    "destructArray" as const,
  ),
  pick: fc.nat(7),
});

const duration: fc.Arbitrary<Duration> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant("literal" as const), unit: fc.constantFrom("seconds" as const, "minutes" as const), n: fc.integer({ min: 1, max: 90 }) }), weight: 3 },
  { arbitrary: numExpr(1).map((e): Duration => ({ k: "mod", e })), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant("choose" as const), c: boolExpr(1), a: fc.integer({ min: 1, max: 30 }), b: fc.integer({ min: 1, max: 30 }) }), weight: 1 },
);

export const wait: fc.Arbitrary<WaitNode> = fc.record({ k: fc.constant("wait" as const), named: fc.boolean(), duration });

export const callbackAnswer: fc.Arbitrary<CallbackAnswer> = fc.oneof(
  { arbitrary: fc.constantFrom(...STRINGS, '{"ok":true}').map((success): CallbackAnswer => ({ success })), weight: 3 },
  {
    arbitrary: fc
      .record({ errorType: fc.constantFrom("Rejected", "Error"), errorMessage: fc.constantFrom("denied", "no", "") })
      .map((failure): CallbackAnswer => ({ failure })),
    weight: 2,
  },
  { arbitrary: fc.constant<CallbackAnswer>({ timeout: true }), weight: 1 },
);

export const callback: fc.Arbitrary<CallbackNode> = fc.record({
  k: fc.constant("callback" as const),
  answers: fc.array(callbackAnswer, { minLength: 1, maxLength: 3 }),
  timeout: fc.record({ unit: fc.constantFrom("seconds" as const, "minutes" as const, "hours" as const), n: fc.integer({ min: 1, max: 48 }) }),
  submitterFault: fc.boolean(),
  submitterNoRetry: fc.boolean(),
  bind: fc.constantFrom("discard" as const, "const" as const, "const" as const, "push" as const),
});

// ---- printing ------------------------------------------------------------------------------------

export function errorText(cls: ErrorClass, p: Printer): string {
  if (cls === "OrderError" || cls === "LimitError") p.classes.add(cls);
  return cls;
}

function retryText(r: Retry, p: Printer): string | undefined {
  switch (r.k) {
    case "default":
      p.feature("retry-default");
      return undefined;
    case "noRetry":
      p.imports.add("retryPresets");
      p.feature("retry-none");
      return "retryPresets.noRetry";
    case "custom": {
      p.imports.add("createRetryStrategy").add("JitterStrategy");
      p.feature("retry-custom");
      const fields = [`maxAttempts: ${r.maxAttempts}`, `initialDelay: { seconds: ${r.delay} }`];
      if (r.backoffRate !== null) fields.push(`backoffRate: ${r.backoffRate}`);
      fields.push("jitter: JitterStrategy.NONE");
      if (r.retryable) {
        fields.push('retryableErrors: ["transient"]');
        p.feature("retryable-errors");
      }
      return `createRetryStrategy({ ${fields.join(", ")} })`;
    }
  }
}

export function printStep(s: StepNode, p: Printer): boolean {
  const site = `s${p.sites.step++}`;
  p.feature("step");
  let nameArg = "";
  if (s.name === "literal") nameArg = `"${site}", `;
  else if (s.name === "computed") {
    nameArg = `\`${site}-\${${p.num(s.namePick)}}\`, `;
    p.feature("computed-name");
  }

  // Where the result goes (decided before the body so the new names are not in the body's scope).
  let lhs = "";
  let declare: (() => void) | undefined;
  let shape: "number" | "object" | "tuple" = "number";
  switch (s.bind) {
    case "discard":
      break;
    case "const":
    case "let": {
      const name = p.fresh("v");
      lhs = `${s.bind} ${name} = `;
      declare = () => p.declare(name, "num", s.bind === "let");
      break;
    }
    case "assign":
    case "add": {
      const target = p.pick("num", s.pick, true);
      const op = s.bind === "assign" ? "=" : "+=";
      lhs = target ? `${target.name} ${op} ` : `state.count ${op} `;
      break;
    }
    case "field": {
      const obj = p.pick("obj", s.pick);
      lhs = obj ? `${obj.name}.a = ` : "state.count = ";
      break;
    }
    case "destructObject": {
      const [a, b] = [p.fresh("v"), p.fresh("t")];
      lhs = `const { a: ${a}, b: ${b} } = `;
      shape = "object";
      declare = () => {
        p.declare(a, "num", false);
        p.declare(b, "str", false);
      };
      p.feature("destructuring");
      break;
    }
    case "destructArray": {
      const [a, b] = [p.fresh("v"), p.fresh("v")];
      lhs = `const [${a}, ${b}] = `;
      shape = "tuple";
      declare = () => {
        p.declare(a, "num", false);
        p.declare(b, "num", false);
      };
      p.feature("destructuring");
      break;
    }
  }

  let body: string[] = [];
  const usesCtx = p.insideStep(() => {
    body = p.capture(() => {
      if (s.fault) {
        p.feature(`fault-${s.fault.k}`);
        const cond = faultText(s.fault, site, p);
        p.usedStepCtx = true;
        const message = `\`${s.transient ? "transient" : "fatal"} ${site} attempt \${stepCtx.attempt}\``;
        p.line(`if (${cond}) throw new ${errorText(s.errorClass, p)}(${message});`);
      }
      if (shape === "number") p.line(`return ${p.num(s.result)};`);
      else if (shape === "object") p.line(`return { a: ${p.num(s.result)}, b: ${p.str(s.second)} };`);
      else p.line(`return [${p.num(s.result)}, ${p.num(s.namePick)}];`);
    });
  });
  const options = retryText(s.retry, p);
  p.line(`${lhs}await context.step(${nameArg}async (${usesCtx ? "stepCtx" : ""}) => {`);
  p.emit(body);
  p.line(options ? `}, { retryStrategy: ${options} });` : "});");
  declare?.();
  return false;
}

function faultText(f: Fault, site: string, p: Printer): string {
  switch (f.k) {
    case "attemptAtMost":
      return `stepCtx.attempt <= ${f.n}`;
    case "attemptAtMostEvent":
      return "stepCtx.attempt <= event.failUntil";
    case "failAt":
      return `event.failAt === "${site}"`;
    case "cond":
      return p.bool(f.c);
    case "condFirstAttempt":
      return `stepCtx.attempt === 1 && ${p.bool(f.c)}`;
  }
}

export function printWait(s: WaitNode, p: Printer): boolean {
  const site = `w${p.sites.wait++}`;
  p.feature("wait");
  let duration: string;
  switch (s.duration.k) {
    case "literal":
      duration = `{ ${s.duration.unit}: ${s.duration.n} }`;
      break;
    case "mod":
      // (x % 4) is in -3..3 for integers: the wait lasts 2 to 8 seconds.
      duration = `{ seconds: (${p.num(s.duration.e)} % 4) + 5 }`;
      p.feature("computed-wait");
      break;
    case "choose":
      duration = `{ seconds: ${p.bool(s.duration.c)} ? ${s.duration.a} : ${s.duration.b} }`;
      p.feature("computed-wait");
      break;
  }
  p.line(`await context.wait(${s.named ? `"${site}", ` : ""}${duration});`);
  return false;
}

/** The grammar feature a callback answer counts as. */
export function answerFeature(a: CallbackAnswer): string {
  return "timeout" in a ? "callback-timeout" : "failure" in a ? "callback-failure" : "callback-success";
}

export function printCallback(s: CallbackNode, p: Printer): boolean {
  const site = `cb${p.sites.callback++}`;
  p.feature("waitForCallback");
  p.callbacks[site] = s.answers;
  for (const a of s.answers) p.feature(answerFeature(a));
  let lhs = "";
  let declare: (() => void) | undefined;
  if (s.bind === "const") {
    const name = p.fresh("t");
    lhs = `const ${name} = `;
    declare = () => p.declare(name, "str", false);
  } else if (s.bind === "push") {
    const name = p.fresh("t");
    lhs = `const ${name} = `;
    declare = () => {
      p.declare(name, "str", false);
      p.line(`trail.push(${name});`);
    };
  }
  const options = [`timeout: { ${s.timeout.unit}: ${s.timeout.n} }`];
  if (s.submitterNoRetry) {
    p.imports.add("retryPresets");
    options.push("retryStrategy: retryPresets.noRetry");
  }
  if (s.submitterFault) {
    p.feature("submitter-fault");
    p.line(`${lhs}await context.waitForCallback("${site}", async () => {`);
    p.line(`  if (event.failAt === "${site}") throw new Error("submit ${site} failed");`);
    p.line(`}, { ${options.join(", ")} });`);
  } else {
    p.line(`${lhs}await context.waitForCallback("${site}", async () => {}, { ${options.join(", ")} });`);
  }
  declare?.();
  return false;
}
