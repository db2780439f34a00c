/**
 * How the compiled machine calls the fragments function: the Lambda it names and the event it
 * sends (runtime/fragments/dispatcher.ts reads it), and the fields of the answer it reads back.
 */

/** DefinitionSubstitutions key for the fragments function's ARN: the template (and deploy) fill it in. */
export const FRAGMENTS_ARN_PLACEHOLDER = "FragmentsFunctionArn";
/** The FunctionName every fragment Task invokes; `${...}` is how a DefinitionSubstitution is referenced. */
export const FRAGMENTS_FUNCTION = `\${${FRAGMENTS_ARN_PLACEHOLDER}}`;

/** The Payload of a fragment Task: the machine writes it, the dispatcher reads it. */
export interface FragmentEvent {
  fragment: string;
  vars?: Record<string, unknown>;
  /** 1-based attempt of a step body: `$states.context.State.RetryCount + 1`. */
  attempt?: number;
  /** The task token of a waitForCallback submitter, handed to it as the callback id. */
  callbackId?: string;
  /** `$states.context.Execution.Id`, for the executionArn of log lines; sent by fragments that log. */
  execution?: string;
  /** A computed operation name, evaluated by the machine. */
  name?: string;
}

/** The field names of a FragmentEvent, for the machine's Task Payload. */
export const EventField = { fragment: "fragment", vars: "vars", attempt: "attempt", callbackId: "callbackId", execution: "execution", name: "name" } as const satisfies { [K in keyof FragmentEvent]-?: K };

/** Fields of a fragment's answer the machine reads: the locals it wrote (tools.done) and the error it caught (tools.threw). */
export const ReplyField = { vars: "vars", thrown: "thrown" } as const;

/** Fields of a waitForCondition check's answer (tools.poll): the new state, whether to go on, the delay in seconds. */
export const PollField = { state: "state", continue: "continue", delay: "delay" } as const;
