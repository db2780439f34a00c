import type { Entry } from "./entry.ts";

/** D2S2xxx: code the compiler cannot map faithfully onto Step Functions, each with what to write instead. */

/** The shapes of createCallback that compile: the hint of every D2S2015 about its shape. */
const CREATE_CALLBACK_SHAPE =
  "write `const [promise, id] = await context.createCallback(...)`, then only plain code and at most one `await context.step(...)` that hand `id` on, then `await promise`; or use `context.waitForCallback`";
const AWAIT_ON_ITS_OWN = "await the operation in its own statement (`const x = await context.step(...)`) and use `x` here";
const LITERAL_NAME = "write the name as a literal, or a const, enum member or template of those";
/** What the compiler can know before a run (parse/known-values.ts). */
const FIXED = "fixed when the machine is built";
const crossed = (operation: string | undefined) => (operation ? `across ${operation}` : "after a durable boundary");
/** The SDK's lint rule no-closure-in-durable-operations, in its own words. */
const NO_CLOSURE = "a variable from outer scope should not be modified inside durable operations: it may cause inconsistent behavior during replay (the SDK's no-closure-in-durable-operations rule)";
const count = (n: number) => n.toLocaleString("en-US");

export const UNSUPPORTED_CODES = {
  D2S2001: {
    severity: "error",
    title: "durable operation inside a step body",
    variants: {
      operationInBody: (p: { what: string }) => ({
        message: `a durable operation inside a ${p.what} body`,
        hint: "steps cannot contain durable operations; use context.runInChildContext to group operations",
      }),
    },
  },
  D2S2002: {
    severity: "error",
    title: "a variable or object of the handler changed inside a step body, submitter or check, or an object of the enclosing function changed in place inside a map function or parallel branch (the SDK's no-closure-in-durable-operations rule)",
    variants: {
      assignsHandlerVariable: (p: { what: string; name: string }) => ({
        message: `the ${p.what} body assigns \`${p.name}\`, a variable of the handler`,
        hint: `${NO_CLOSURE}; return the value from the step instead: \`x = await context.step(...)\``,
      }),
      changesHandlerObject: (p: { what: string; name: string; form: string }) => ({
        message: `the ${p.what} body changes \`${p.name}\`, an object of the handler, in place (${p.form})`,
        hint: `${NO_CLOSURE}; return the new value from the step instead: \`x = await context.step(...)\``,
      }),
      changesOuterObject: (p: { kind: "map" | "parallel"; name: string; form: string }) => ({
        message: `\`${p.name}\` belongs to the enclosing function and is changed in place inside a ${p.kind === "map" ? "map function" : "parallel branch"} (${p.form})`,
        hint: `${NO_CLOSURE}; return the value from the function and read it from the BatchResult`,
      }),
      changesMapItem: (p: { name: string; form: string }) => ({
        message: `\`${p.name}\` is the map's item, an object of the enclosing function (under the SDK the same object), and is changed in place inside the map function (${p.form})`,
        hint: `${NO_CLOSURE}; copy it first (\`const changed = { ...${p.name} }\`) and return what changed`,
      }),
    },
  },
  D2S2003: {
    severity: "warning",
    title: "`Date.now()`, `new Date()`, `Math.random()`, crypto random outside a step (warning)",
    variants: {
      nonDeterministic: (p: { what: string }) => ({
        message: `${p.what} outside a step gives a different value on every replay`,
        hint: 'wrap it in a step: `await context.step("now", async () => Date.now())`',
      }),
    },
  },
  D2S2004: {
    severity: "error",
    title: "durable call the compiler cannot resolve statically",
    variants: {
      functionMissing: (p: { what: string }) => ({ message: `the ${p.what} function is missing`, hint: "pass the function as an argument" }),
      functionNotInline: (p: { what: string }) => ({ message: `${p.what} must be written inline`, hint: "pass an `async (ctx, ...) => { ... }` function" }),
      childContextNotInline: () => ({ message: "the child context function must be written inline", hint: "pass an `async (child) => { ... }` function" }),
      withRetryNotInline: () => ({ message: "the withRetry function must be written inline", hint: "pass `async (ctx, attempt) => { ... }`" }),
      mapArguments: () => ({ message: "map needs its items and a function", hint: "pass `context.map(items, async (ctx, item, index) => { ... })`" }),
      parallelNotArray: () => ({
        message: "parallel branches must be written as an array literal, or as `items.map((item) => async (ctx) => ...)` of an array",
        hint: 'pass `[async (ctx) => { ... }, { name: "b", func: async (ctx) => { ... } }]` or `items.map((item, i) => async (ctx) => { ... })`',
      }),
      parallelMapper: (p: { why: string }) => ({
        message: `parallel branches built by \`items.map\`: ${p.why}`,
        hint: "write `items.map((item, i) => async (ctx) => { ... })`",
      }),
      parallelBranchNeedsFunc: () => ({ message: "a named parallel branch needs `func`", hint: 'write `{ name: "b", func: async (ctx) => { ... } }`' }),
      parallelBranchParameters: () => ({ message: "a parallel branch takes only its DurableContext", hint: "write the branch as `async (ctx) => { ... }`" }),
      combinatorNotArray: (p: { combinator: string }) => ({
        message: `${p.combinator} needs an array literal of operations`,
        hint: "write `context.promise.all([context.step(...), context.wait(...)])`",
      }),
      combinatorElement: (p: { combinator: string }) => ({
        message: `each element of ${p.combinator} must be a step, wait, waitForCallback, waitForCondition, invoke or runInChildContext call`,
        hint: "create the operations in the array, or in `const` locals just before it",
      }),
      invokeNeedsFunction: () => ({ message: "invoke needs a function name", hint: "pass the function name or ARN" }),
      waitForConditionNeedsConfig: () => ({ message: "waitForCondition needs its config", hint: "pass `{ waitStrategy, initialState }`" }),
      tableNotSeen: (p: { callee: string; reason: string }) => ({
        message: `the DurableContext is passed to \`${p.callee}\`, a function of a table the compiler cannot follow: ${p.reason}; it inlines every durable operation where it runs, so it must see every function the call can reach`,
        hint: "keep the functions in a `const` of this file holding an object literal (`const tools = { search: async (ctx, q) => ... }`) that is only called (`tools[name](context, q)`), or `switch` over the choices",
      }),
      contextPassedAway: (p: { callee?: string } = {}) => ({
        message: p.callee
          ? `the DurableContext is passed to \`${p.callee}\`, a function read from an object at run time: the compiler inlines every durable operation where it is called, so it must know the one function called`
          : "the DurableContext is passed to a function the compiler cannot see",
        hint: p.callee
          ? "call an async function of this file by its name (e.g. a `switch` over the choices, each case calling its own function)"
          : "pass it only to async functions declared in the same file, which are inlined",
      }),
    },
  },
  D2S2005: {
    severity: "error",
    title: "value that cannot cross a durable boundary (a function inside a carried value other than an object literal's methods that can be made again, a Promise, a `WeakMap`, an instance of a class declared in a function, a host object), also nested",
    variants: {
      /** transform: the type of a carried local (analyze/carriable.ts) */
      notCarriable: (p: { name: string; type: string; what: string; path: string; line: number; crosses?: string; capturedBy?: string; hint: string }) => ({
        message: `\`${p.name}\`${p.capturedBy ? `, captured by the function \`${p.capturedBy}\`,` : ""} is used ${crossed(p.crosses)} but holds ${p.what}${p.path === p.name ? "" : ` at \`${p.path}\``}, which cannot be carried (type \`${p.type}\`, created at line ${p.line})`,
        hint: p.hint,
      }),
      /** transform: a closure re-created in another fragment (analyze/closures-carried.ts) */
      closureCaptures: (p: { name: string; captured: string; why: string; crosses?: string }) => ({
        message: `the function \`${p.name}\` is used ${crossed(p.crosses)} and ${p.why === "it assigns" ? `assigns \`${p.captured}\`` : `captures \`${p.captured}\`, which ${p.why}`}; it cannot be re-created there with the same bindings`,
        hint: "a function crosses a durable operation when it reads only `const` locals (or locals never reassigned) and module bindings: copy the value into a `const` before creating the function",
      }),
    },
  },
  D2S2006: {
    severity: "error",
    title: "syntax outside the supported set (`var`, generators, `eval`, `with`, ...)",
    variants: {
      unsupportedSyntax: (p: { what: string }) => ({
        message: `${p.what} is outside the supported syntax of a durable handler`,
        hint: "use `let`/`const` and plain functions; move dynamic code into a step",
      }),
      forAwait: () => ({ message: "`for await` is outside the supported syntax", hint: "collect the items in a step first" }),
      destructuredEvent: () => ({ message: "a destructured event parameter is not supported", hint: "take `event` as a plain parameter and destructure it in the body" }),
      destructuredCatch: () => ({ message: "a destructured catch binding is not supported", hint: "write `catch (error)` and read its fields" }),
      jumpTargetNotFound: () => ({ message: "jump target not found", hint: "check the label" }),
    },
  },
  D2S2007: {
    severity: "error",
    title: "durable operation in an unsupported position (inside an expression, not awaited)",
    variants: {
      inside: (p: { where: string }) => ({ message: `a durable operation inside ${p.where} is not supported`, hint: AWAIT_ON_ITS_OWN }),
      insideStatement: (p: { kind: string }) => ({ message: `a durable operation inside a ${p.kind} is not supported`, hint: "move the durable operation into its own statement" }),
      insideExpression: () => ({ message: "a durable operation inside this expression is not supported", hint: AWAIT_ON_ITS_OWN }),
      functionAsValue: () => ({
        message: "a function that runs durable operations is kept as a value here, to be called later: the compiler maps each operation where the code calls it, and does not follow a function through a value (an array, an object, a variable)",
        hint: "call the operations where they run; e.g. for compensations, keep the names of what is done in an array and, in the catch block, `if (done.includes(\"reserve\")) await context.step(\"release\", ...)`",
      }),
      notAwaited: () => ({
        message: "a durable operation must be awaited where it is called",
        hint: "write `await context.step(...)`; un-awaited operations run concurrently under the SDK",
      }),
      neverAwaited: () => ({
        message: "an operation started and never awaited is not supported: under the SDK it runs on beside the handler, and its record stays STARTED if the handler ends first",
        hint: "await it, or start it in a `const` and combine it later with `await context.promise.all([...])`",
      }),
            startedNotConsumed: (p: { name: string }) => ({
        message: `\`${p.name}\` holds an operation started here; it must be awaited, or combined by one awaited promise combinator, once, further down this block`,
        hint: "under the SDK it runs from here on; write `await context.promise.all([...])` or `await x` later in the same block (or in a try block there)",
      }),
      codeWhileStarted: (p: { name: string; line: number; what: string }) => ({
        message: `this code runs while \`${p.name}\` (started at line ${p.line}) runs, and ${p.what}; the compiled machine starts a started operation where it is awaited or combined, so only plain code, more started operations and awaited operations may stand between`,
        hint: "move this code before the operation is created, or after the statement that awaits it",
      }),
      startsAfterCode: (p: { name: string; line: number; code: number }) => ({
        message: `this operation starts after the code at line ${p.code}, which runs while \`${p.name}\` (started at line ${p.line}) runs: under the SDK it then runs beside \`${p.name}\`, while the compiled machine runs \`${p.name}\` before that code (so that a throw there leaves it run, as under the SDK) and this operation after it`,
        hint: "create this operation in a `const` before that code and combine it with the others, or move that code after the statement that awaits them",
      }),
      codeBetweenStarts: (p: { name: string; line: number; later: string; laterLine: number }) => ({
        message: `plain code stands between the creation of \`${p.name}\` (line ${p.line}) and of \`${p.later}\` (line ${p.laterLine}): the compiled machine runs that code after the started operations, and if it throws, under the SDK \`${p.later}\` never starts`,
        hint: `move this code after the last operation is created (after line ${p.laterLine}), or before the first`,
      }),
      sharedWhileStarted: (p: { name: string; line: number; local: string }) => ({
        message: `this code changes or declares \`${p.local}\`, which \`${p.name}\` (started at line ${p.line}) uses: under the SDK the operation's arguments were read at its call, before this code, and its function runs after this code; the compiled machine runs both at one point`,
        hint: `change \`${p.local}\` before creating the operation, or after the statement that awaits it`,
      }),
    },
  },
  D2S2008: {
    severity: "error",
    title: "unsupported option of a durable operation",
    variants: {
      // map and parallel
      batchOptionsNotObject: (p: { kind: "map" | "parallel" }) => ({ message: `${p.kind} options must be an object literal`, hint: "write the options inline, e.g. `{ maxConcurrency: 5 }`" }),
      maxConcurrencyNotLiteral: () => ({ message: `maxConcurrency must be a number ${FIXED}`, hint: "it becomes the MaxConcurrency field of the state: write a number, or a const holding one" }),
      customShouldComplete: () => ({ message: "a custom shouldComplete function is not supported", hint: "use minSuccessful, toleratedFailureCount or toleratedFailurePercentage" }),
      unknownBatchOption: (p: { kind: "map" | "parallel"; key: string }) => ({
        message: `the ${p.kind} option \`${p.key}\` is not supported`,
        hint: "supported: maxConcurrency, completionConfig (thresholds)" + (p.kind === "map" ? ", itemNamer" : ""),
      }),
      mapArrayParameter: () => ({ message: "the map function's array parameter is not supported", hint: "read the items from the variable passed to map" }),
      parallelBranchName: () => ({ message: `a parallel branch name must be ${FIXED}`, hint: LITERAL_NAME }),
      // names, invoke, child context, withRetry
      computedName: (p: { what: string }) => ({ message: `${p.what} name must be ${FIXED}`, hint: LITERAL_NAME }),
      invokeOptions: () => ({ message: "invoke options (serdes, tenantId) are not supported", hint: "remove the options" }),
      invokeTenantId: () => ({
        message: "invoke `tenantId` cannot be passed on: Step Functions' Lambda invoke (`arn:aws:states:::lambda:invoke`) takes FunctionName, Payload, ClientContext, InvocationType and Qualifier, no tenant id, so a tenant-isolated function would not run in that tenant's environment (Lambda refuses its invocation without one)",
        hint: "remove `tenantId` when the invoked function does not use tenant isolation",
      }),
      childContextOptions: () => ({ message: "child context options (serdes, errorMapper, ...) are not supported", hint: "remove the options; the default behaviour is compiled exactly" }),
      withRetryName: () => ({ message: `a withRetry name must be ${FIXED}`, hint: LITERAL_NAME }),
      withRetryOptionsNotObject: () => ({ message: "withRetry options must be an object literal", hint: "write `{ retryStrategy: ... }` inline" }),
      unknownWithRetryOption: (p: { key: string }) => ({
        message: `the withRetry option \`${p.key}\` is not supported`,
        hint: "only retryStrategy is; the block always runs in a child context, as by default",
      }),
      // transform: retry strategies (transform/retry.ts)
      stepOptionsNotObjectForRetry: () => ({ message: "step options must be an object literal", hint: "write the options inline: `{ retryStrategy: createRetryStrategy({...}) }`" }),
      retryStrategyNotInline: () => ({ message: "retryStrategy must be written inline", hint: "use `retryStrategy: createRetryStrategy({...})` or a `retryPresets` member" }),
      retryStrategyNotExpressible: () => ({
        message: "this retryStrategy has delays that ASL Retry cannot express",
        hint: "use createRetryStrategy({...}) with values fixed when the machine is built, retryPresets.default or retryPresets.noRetry",
      }),
      retryOptionsNotObject: () => ({ message: "createRetryStrategy options must be an object literal", hint: "write the options inline with literal values" }),
      retryOptionsNotProperties: () => ({ message: "retry options must be literal properties", hint: "write `name: value`" }),
      unknownRetryOption: (p: { name: string }) => ({ message: `unknown retry option \`${p.name}\``, hint: "see createRetryStrategy's options in the SDK" }),
      jitterHalf: () => ({ message: "JitterStrategy.HALF has no ASL equivalent", hint: "use JitterStrategy.FULL or JitterStrategy.NONE" }),
      retryOptionNotNumber: () => ({ message: `this retry option must be a number ${FIXED}`, hint: "ASL Retry fields are fixed when the machine is built: write a number, or a const holding one" }),
      durationNotLiteral: () => ({ message: `this duration must be ${FIXED}, such as \`{ seconds: 5 }\``, hint: "ASL fixes these delays when the machine is built: write literals or consts" }),
      timeoutNotWhole: (p: { seconds: number }) => ({
        message: `a callback timeout of ${p.seconds} seconds cannot be compiled: a Task's timeout is a whole number of seconds, at least 1, where the SDK times out after exactly ${p.seconds} s`,
        hint: "write a whole number of seconds, at least 1",
      }),
      jitterNotMember: () => ({ message: "jitter must be a JitterStrategy member", hint: "write `jitter: JitterStrategy.NONE`" }),
      // transform: steps, waits, callbacks, invoke (transform/states.ts, transform/invoke.ts)
      waitDurationNotComputable: () => ({ message: "this wait duration cannot be computed", hint: "use a Duration object such as `{ seconds: n }`" }),
      stepOptionsNotObject: () => ({ message: "step options must be an object literal", hint: "write the options inline" }),
      unknownStepOption: (p: { name: string }) => ({
        message: `the step option \`${p.name}\` is not supported`,
        hint: "remove the option",
      }),
      serdesReadsLocal: (p: { name: string }) => ({
        message: `this serdes reads \`${p.name}\`, a value of the handler's run: the fragments function makes a custom serdes again from module-level values wherever it deserialises a result, and cannot see that value there`,
        hint: "declare the serdes (and what it uses) at the top level of the module",
      }),
      serdesHere: (p: { where: string }) => ({
        message: `a custom serdes ${p.where} is not compiled yet`,
        hint: "remove the serdes option here",
      }),
      constOptionsChanged: (p: { what: string; why: string }) => ({
        message: `${p.what} held in a const cannot be read as if written inline: ${p.why}`,
        hint: "write the options inline, or leave the const unchanged: no writes to it or its fields, passed only to the SDK's operations",
      }),
      callbackOptionsNotObject: () => ({ message: "callback options must be an object literal, a const holding one, or a choice between those (`cond ? { ... } : { ... }`)", hint: "write the options inline" }),
      callbackTimeoutsAtRunTimeAwaitedLater: () => ({
        message: "a createCallback awaited after other durable operations needs timeouts fixed when the machine is built: they count from createCallback, and the Task that waits starts only at the await",
        hint: "write literal timeouts (`{ timeout: { minutes: 5 } }`), or await the promise right after createCallback",
      }),
      callbackOptionsNotProperties: () => ({ message: "callback options must be literal properties", hint: "write `timeout: { hours: 1 }`" }),
      unknownCallbackOption: (p: { name: string }) => ({
        message: `the callback option \`${p.name}\` is not supported`,
        hint: "remove the option",
      }),
      invokeName: () => ({ message: `an invoke name must be ${FIXED}`, hint: LITERAL_NAME }),
    },
  },
  D2S2009: {
    severity: "error",
    title: "durable operation not supported yet",
    variants: {
      firstToEnd: (p: { method: string }) => ({
        message: `${p.method} over more than one operation is not supported: its result depends on which operation ends first`,
        hint: "await the operations one by one, or use context.promise.allSettled and pick a result",
      }),
      loggerOrSerdes: (p: { method: string }) => ({
        message: `context.${p.method} is not supported: its default serdes would apply to every step, invoke, child context and map of the context, which the compiled machine does not do yet`,
        hint: "give each step its own `serdes` option instead (compiled); a context-wide default serdes is not compiled yet",
      }),
      loggerPlace: () => ({
        message: "configureLogger compiles only on the handler's own context, as a statement of its body before the handler first uses its context: under the SDK the lines before the call go to the logger it had and the lines after it to the new one, while every fragment of the compiled machine logs through one logger from its start",
        hint: "move `context.configureLogger(...)` to the top of the handler's body",
      }),
      loggerConfigShape: () => ({ message: "configureLogger takes an object literal with `customLogger` and `modeAware` here", hint: "write `context.configureLogger({ customLogger: myLogger })`" }),
      loggerNotModeAware: () => ({
        message: "`modeAware` other than `true` cannot be honoured: with `false` the SDK writes the handler's log lines again in every replay (each invocation after a wait, a callback, an invoke or a retry delay runs the handler from its start), and the compiled machine never replays, so it writes each line once",
        hint: "remove `modeAware` or write `modeAware: true` (the SDK's default): each line is then written once, under the SDK as compiled",
      }),
      loggerFromLocals: () => ({
        message: "the customLogger must be made from module-level values: the fragments function makes it again in each invocation, where the handler's locals do not exist",
        hint: "create the logger at module level (`const logger = new MyLogger()`) and pass that",
      }),
      notSupported: (p: { method: string }) => ({
        message: `context.${p.method} is not supported by this version of durable2sfn`,
        hint: "see the README's table of supported operations",
      }),
      invokesCompiledWorkflow: (p: { target: string }) => ({
        message: `\`${p.target}\` is a handler of this build, compiled to a state machine: invoking another compiled workflow is not supported yet`,
        hint: "deploy that handler as a Lambda durable function and invoke it under another name, or call its code in a step",
      }),
    },
  },
  D2S2010: {
    severity: "error",
    title: "recursive durable helper",
    variants: {
      recursiveHelper: () => ({ message: "a recursive durable helper cannot be compiled", hint: "a state machine has a fixed shape: rewrite the recursion as a loop" }),
    },
  },
  D2S2011: {
    severity: "error",
    title: "the DurableContext escapes (stored, passed where it cannot be followed)",
    variants: {
      cannotFollow: () => ({
        message: "the DurableContext is used here in a way the compiler cannot follow",
        hint: "call its operations directly (`await context.step(...)`), use `context.logger`, or pass it to an async helper of this file",
      }),
      contextDestructured: () => ({ message: "the DurableContext cannot be destructured", hint: "take it as a plain parameter" }),
      branchParameterDestructured: () => ({
        message: "a map or parallel function parameter cannot be destructured",
        hint: "take it as a plain parameter and destructure it in the body",
      }),
    },
  },
  D2S2012: {
    severity: "error",
    title: "an object returned inside `try` is changed by a `finally` block that runs durable operations",
    variants: {
      returnedAlias: (p: { name: string }) => ({
        message: `\`${p.name}\` is returned here and used by a finally block that runs durable operations`,
        hint: "return a copy or a primitive (`return { ...result }`), or move the return after the try statement",
      }),
    },
  },
  D2S2013: {
    severity: "error",
    title: "a map function or parallel branch assigns a local of the enclosing function",
    variants: {
      assignsOuterLocal: (p: { name: string; kind: "map" | "parallel" }) => ({
        message: `\`${p.name}\` belongs to the enclosing function and is assigned inside a ${p.kind === "map" ? "map function" : "parallel branch"}`,
        hint: "return the value from the function and read it from the BatchResult",
      }),
    },
  },
  D2S2014: {
    severity: "warning",
    title: "a map or parallel can complete before every item has ended (warning; see the table above)",
    variants: {
      /** `completionConfig`: the batch has thresholds (else it fails fast, the SDK's default); `limited`: it has a maxConcurrency. */
      earlyCompletion: (p: { method: string; completionConfig: boolean; limited: boolean }) => {
        const what = p.completionConfig ? "its completionConfig can end it before every item has ended" : "it stops at the first failed item (the SDK's default)";
        const effect = p.limited
          ? "the SDK then never starts the remaining items, while the compiled Map or Parallel state runs all of them"
          : "the SDK then stops waiting for the items still running (STARTED in the BatchResult, and their records stay STARTED), while the compiled Map or Parallel state runs every item to its end; the BatchResult is decided as the SDK decides it, in the order the items ended";
        return { message: `this ${p.method} can complete early: ${what}, and ${effect}`, hint: "to wait for every item, pass `completionConfig: { toleratedFailurePercentage: 100 }`" };
      },
    },
  },
  D2S2015: {
    severity: "error",
    title: "`createCallback` in a shape that cannot be mapped to `waitForTaskToken` or the callback relay (a promise not awaited once as a statement's own value or by one awaited `all` / `allSettled`, passed on, never awaited; a `heartbeatTimeout` on a relayed callback; code in the Task setting a local, or changing an object, used after the await)",
    variants: {
      oneShapeOnly: () => ({ message: "createCallback must be awaited and destructured in a declaration of its own", hint: CREATE_CALLBACK_SHAPE }),
      notDestructured: () => ({ message: "createCallback must be destructured into its promise and, optionally, its id: `const [promise, id] = ...`", hint: CREATE_CALLBACK_SHAPE }),
      promiseUsedElsewhere: () => ({ message: "createCallback: the promise may only be awaited, once, as a statement's own value (`const x = await promise`, `await promise`, `return await promise`)", hint: CREATE_CALLBACK_SHAPE }),
      combined: () => ({
        message:
          "createCallback: the promise is handed, in an array, to a function that is no promise combinator; the compiled callback is a Task that waits where the promise is awaited, which that function's code cannot reach",
        hint: "await the promise itself, or combine the promises with `await Promise.all([p1, p2])` / `allSettled` (or `context.promise.all` / `allSettled`) as a statement's own value",
      }),
      neverAwaited: () => ({ message: "createCallback: the promise is never awaited; the compiled callback exists only while a Task awaits it", hint: CREATE_CALLBACK_SHAPE }),
      awaitInLoop: () => ({ message: "createCallback: the promise is awaited in a loop or function that does not also create it", hint: CREATE_CALLBACK_SHAPE }),
      relayedHeartbeat: () => ({
        message:
          "createCallback: a heartbeatTimeout on a callback whose id is handed on before its promise is awaited later; the id then goes through the callback relay, which does not relay heartbeats to the Task at the await, so the heartbeat could not be kept as the SDK keeps it from createCallback on",
        hint: "drop heartbeatTimeout (keep timeout), await the promise right after the code or step that hands the id on, or use `context.waitForCallback`",
      }),
      handOnWritesLive: () => ({
        message: "createCallback: code between createCallback and the await runs inside the Task that waits for the answer; a value it sets, or an object it changes or hands to a function, cannot be used after the await",
        hint: "compute the value before createCallback, or after the await",
      }),
      /** transform */
      literalNames: () => ({ message: "createCallback and its step need literal names here", hint: "write the names as string literals" }),
    },
  },
  D2S2016: {
    severity: "error",
    title: "the state machine definition is over the Step Functions quota of 1 MiB (the size and the quota are given)",
    variants: {
      overQuota: (p: { bytes: number; states: number; quota: number }) => ({
        message: `the state machine definition is ${count(p.bytes)} bytes (${count(p.states)} states), over the Step Functions quota of ${count(p.quota)} bytes`,
        hint: "split the workflow into several handlers, or loop over data instead of writing each durable operation out",
      }),
    },
  },
  D2S2017: {
    severity: "error",
    title: "a durable operation called on an enclosing function's context inside a child context, map function or parallel branch",
    variants: {
      outerContext: (p: { method: string; context: string }) => ({
        message: `\`${p.context}.${p.method}\` is called on an enclosing function's context; the SDK fails the execution here with "Context usage error"`,
        hint: "call it on the context this function receives (its first parameter)",
      }),
    },
  },
  D2S2018: {
    severity: "error",
    title: "a `withDurableExecution` option the compiled machine cannot honour (`plugins`, an option it does not know, options it cannot read)",
    variants: {
      plugins: () => ({
        message: "the handler option `plugins` cannot be honoured: the SDK calls plugins around every operation and adds their fields to log lines, a state machine calls no plugin",
        hint: "remove `plugins`; the execution history of Step Functions records every state instead",
      }),
      unknown: (p: { name: string }) => ({ message: `the handler option \`${p.name}\` is not one the compiler knows, so it cannot say the compiled machine honours it`, hint: "remove it" }),
      optionsNotLiteral: () => ({ message: "the options of withDurableExecution must be an object literal with plain keys, written inline or held by a const", hint: "write them inline, e.g. `withDurableExecution(fn, { client })`, so the compiler can tell which it honours" }),
      optionsChanged: (p: { why: string }) => ({ message: `the options of withDurableExecution are held by a const that code may change (${p.why}), so the compiler cannot tell which it honours`, hint: "write them inline, or leave the const unchanged" }),
    },
  },
  D2S2019: {
    severity: "warning",
    title: "a `withDurableExecution` option with no effect on Step Functions, `client`, `durableExecutionClient` or `pluginsConfig` (warning)",
    variants: {
      transport: (p: { name: string }) => ({
        message: `the handler option \`${p.name}\` has no effect on the compiled machine: it is how the SDK reaches its checkpoint backend, and Step Functions keeps the state itself`,
        hint: "the workflow behaves the same; the option still applies where the handler runs as a Lambda durable function",
      }),
      replayOnly: (p: { name: string }) => ({
        message: `the handler option \`${p.name}\` has no effect on the compiled machine: it tunes what the SDK keeps across a replay, and the machine never replays`,
        hint: "the workflow behaves the same; the option still applies where the handler runs as a Lambda durable function",
      }),
    },
  },
} as const satisfies Record<string, Entry>;
