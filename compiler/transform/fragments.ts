import { EventField, FRAGMENTS_FUNCTION, ReplyField } from "../../protocol/index.ts";
import { isOperationResult, uncarriable } from "../analyze/carriable.ts";
import { closureDeclaration, closureRefusal } from "../analyze/closures-carried.ts";
import { capturerOf, isReassigned, reachedClosures, type Closure } from "../analyze/render.ts";
import { crossingOf } from "../analyze/crossings.ts";
import type { Local } from "../analyze/locals.ts";
import type { CodePiece } from "../analyze/render.ts";
import { fail, messages } from "../diagnostics.ts";
import type { Catcher, FragmentTaskState } from "./asl-types.ts";
import { expression, propertyOf } from "./jsonata.ts";
import { LAMBDA_INVOKE, SERVICE_RETRIER } from "./lambda.ts";
import type { Fragment, FragmentSource } from "./operation-site.ts";

/**
 * Fragment code generation: the body of each fragment of the machine's Lambda, and the Task that
 * runs it. A fragment is handed the locals it reads in `vars` and returns the ones it writes
 * (`$d.done`); the Task's Assign puts them back into ASL Variables.
 */

/** Locals a fragment must be given: what it reads and does not declare itself. */
function inputs(pieces: CodePiece[]): { carried: Local[]; errors: Local[] } {
  const declared = new Set<Local>();
  const read = new Set<Local>();
  for (const p of pieces) {
    p.declares.forEach((l) => declared.add(l));
    p.reads.forEach((l) => read.add(l));
    p.writes.forEach((l) => read.add(l)); // assigned but declared earlier: must exist in the fragment
  }
  const candidates = [...read].filter((l) => !declared.has(l) && !l.isContext);
  return {
    carried: candidates.filter((l) => !l.errorRecord),
    errors: candidates.filter((l) => l.errorRecord),
  };
}

/**
 * Writes the fragment `id` into `fragments`: `code` as statements, then `return $d.done(written, tail)`.
 * `alsoRead` are pieces the tail reads. With `keptOnThrow`, an error the code throws comes back
 * as `thrown` with those locals (`$d.threw`) instead of failing the Task.
 */
export function writeFragment(fragments: FragmentSource[], id: string, code: CodePiece[], alsoRead: CodePiece[], written: Local[], tail: string, keptOnThrow: Local[] = []): Fragment {
  const { carried, errors } = inputs([...code, ...alsoRead]);
  const records = new Set(errors.map((e) => e.errorRecord!));
  const allCarried = [...new Set([...carried, ...records])].sort((a, b) => a.id.localeCompare(b.id));
  const lines: string[] = [];
  const plain = allCarried.filter((l) => !records.has(l));
  if (plain.length > 0) lines.push(`let { ${plain.map((l) => l.id).join(", ")} } = $v;`);
  for (const e of errors) lines.push(`let ${e.id} = $d.caught($v.${e.errorRecord!.id});`);
  const closures = reachedClosures([...code, ...alsoRead].flatMap((p) => [...(p.closures ?? [])]));
  lines.push(...closurePrelude(closures, [...code, ...alsoRead]));
  const done = `return $d.done({ ${written.map((l) => l.id).join(", ")} }${tail ? `, { ${tail} }` : ""});`;
  if (keptOnThrow.length > 0) {
    lines.push("try {", ...code.map((p) => indentText(p.text)), indentText(done));
    lines.push(`} catch ($thrown) {`, `  return $d.threw($thrown, { ${keptOnThrow.map((l) => l.id).join(", ")} });`, "}");
  } else {
    for (const p of code) lines.push(p.text);
    lines.push(done);
  }
  const body = lines.join("\n");
  fragments.push({ id, body });
  for (const l of [...allCarried, ...written]) checkCrossable(l);
  return { id, body, carried: allCarried };
}

/**
 * The Task running `fragment`: hands it the locals it carries, assigns the ones it writes.
 * `catcher` is where its failure goes, if anywhere; only a code Task retries service errors
 * here (operations set their own Retry).
 */
export function fragmentTask(fragment: Fragment, written: Local[], next: string, comment: string, kind: "code" | "step" | "codeThenStep" | "callback", catcher: Catcher | undefined, keptOnThrow: Local[] = []): FragmentTaskState {
  const vars: Record<string, string> = {};
  for (const l of fragment.carried) vars[l.id] = expression(`$${l.id}`);
  const state: FragmentTaskState = {
    Type: "Task",
    Comment: comment,
    Resource: LAMBDA_INVOKE,
    Arguments: { FunctionName: FRAGMENTS_FUNCTION, Payload: { [EventField.fragment]: fragment.id, [EventField.vars]: vars } },
    Output: expression("$states.result.Payload"),
  };
  // The executionArn of the log lines (runtime/fragments/logger.ts), for fragments that log.
  if (/\.logger\b|\$d\.context\b/.test(fragment.body)) state.Arguments.Payload[EventField.execution] = expression("$states.context.Execution.Id");
  const assign: Record<string, string> = {};
  for (const l of written) {
    const value = propertyOf(`$states.result.Payload.${ReplyField.vars}`, l.id);
    // After a caught throw only the kept locals come back; no state reads the others before
    // setting them again (they are not live in the handler), so null stands in for them.
    const thrown = keptOnThrow.length > 0 && !keptOnThrow.includes(l);
    assign[l.id] = expression(thrown ? `$exists($states.result.Payload.${ReplyField.thrown}) ? null : ${value}` : value);
  }
  if (Object.keys(assign).length > 0) state.Assign = assign;
  if (kind === "code") state.Retry = [SERVICE_RETRIER];
  if (catcher) state.Catch = [catcher];
  state.Next = next;
  return state;
}

/** Refuses a carried local whose value cannot cross (carriable.ts), naming where inside it, where it is made and what it crosses. */
function checkCrossable(local: Local): void {
  const type = local.type;
  const at = local.declaration;
  if (!type || !at || local.errorRecord) return;
  if (isOperationResult(at) && !isReassigned(local)) return;
  const bad = uncarriable(type, local.name, at);
  if (bad) {
    const text = type.getText(at).replace(/import\("[^"]*"\)\./g, ""); // never a file's path
    const params = { name: local.name, type: text.length > 60 ? `${text.slice(0, 59)}…` : text, what: bad.what, path: bad.path, line: at.getStartLineNumber() };
    fail(at, messages.D2S2005.notCarriable({ ...params, crosses: crossingOf(local), capturedBy: capturerOf(local)?.name, hint: bad.hint }));
  }
}

/**
 * The declarations of the closures the fragment uses (`closures`, reachedClosures) but does not declare, in source order,
 * placed before its code. Refuses a closure that cannot be re-created with the same bindings.
 */
function closurePrelude(closures: Closure[], pieces: CodePiece[]): string[] {
  const declared = new Set(pieces.flatMap((p) => [...p.declares]));
  const needed = closures.filter((c) => !declared.has(c.local));
  for (const closure of needed) {
    const refused = closureRefusal(closure);
    if (refused) {
      fail(closure.local.declaration!, messages.D2S2005.closureCaptures({ name: closure.local.name, captured: refused.captured.name, why: refused.why, crosses: crossingOf(refused.captured) }));
    }
  }
  return needed.map(closureDeclaration);
}

function indentText(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
