import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { asDurableCall, isDurableContext, markUntypedContext } from "./durable-calls.ts";
import { moduleFunctionNamed, type ModuleFunction } from "./module-functions.ts";

/**
 * Where the type checker cannot say that a parameter holds the DurableContext (JavaScript has no
 * annotations; a function declared apart gets no contextual type), the compiler follows the
 * context itself: the second parameter of a function given to withDurableExecution, the first of
 * a module function named as a map function or parallel branch, and a parameter of a module
 * function that some call hands a context, until nothing changes. Only parameters typed `any`
 * are marked: a declared type always decides.
 */
export function followUntypedContexts(sourceFile: SourceFile, handlerFunctions: ModuleFunction[]): void {
  const mark = (fn: ModuleFunction | undefined, index: number): boolean => {
    const param = fn?.getParameters()[index];
    const name = param?.getNameNode();
    if (!param || !Node.isIdentifier(name) || !param.getType().isAny() || isDurableContext(name)) return false;
    markUntypedContext(name);
    return true;
  };
  for (const fn of handlerFunctions) mark(fn, 1);
  const calls = sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression);
  for (let changed = true; changed; ) {
    changed = false;
    for (const call of calls) {
      const operation = asDurableCall(call);
      if (operation?.method === "map" || operation?.method === "parallel") {
        const named = call.getArguments().flatMap((a) => (Node.isArrayLiteralExpression(a) ? a.getElements() : [a]));
        for (const arg of named) changed = mark(moduleFunctionNamed(arg), 0) || changed;
        continue;
      }
      const callee = moduleFunctionNamed(call.getExpression());
      if (!callee) continue;
      call.getArguments().forEach((arg, i) => {
        if (isDurableContext(arg)) changed = mark(callee, i) || changed;
      });
    }
  }
}

