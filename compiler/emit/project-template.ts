import { stringify } from "yaml";
import type { CompiledHandler } from "../types.ts";
import { commentLine, handlerStack, placement, sharedConditions, sharedParameters } from "./template.ts";

/** The first line of a project template: how `build` knows a template.yaml in --out is its own to replace. */
export const PROJECT_TEMPLATE_HEADER = "# durable2sfn project stack";

/** One handler of a build, as the project template places it. */
export interface ProjectHandler {
  handler: CompiledHandler;
  /** Its folder inside the output folder, where its own outputs are. */
  folder: string;
  machineName: string;
}

/**
 * The project template (`<out>/template.yaml`) when several handlers build together: one SAM
 * stack holding every handler's resources as its own template.yaml has them, under a logical-ID
 * prefix named after its folder (`orders/` gives `OrdersStateMachine`). Log levels, retention
 * and function size are shared parameters; each handler keeps its own names, and invoke targets
 * are shared by placeholder (two handlers reading PAYMENT_FN invoke the same function).
 *
 * One fragments function per handler, not one for all: each bundle's dispatcher knows only its
 * own handler's fragments (fragment ids are per handler), each function's role and log group
 * stay its own, and Lambda bills by invocation, so more functions cost nothing.
 *
 * Outputs export each state machine's ARN and name as `<stack>-<Prefix>StateMachineArn` /
 * `-Name`, for other stacks to `Fn::ImportValue`.
 */
export function projectTemplateYaml(given: ProjectHandler[]): string {
  const handlers = byFolder(given);
  const lines = [
    `${PROJECT_TEMPLATE_HEADER} of ${handlers.length} handlers, compiled by durable2sfn:`,
    ...handlers.map((h) => `#   ${commentLine(`${h.folder}/: ${about(h)}`)}`),
    "# Deploy with: sam deploy --guided (from this folder).",
    "",
  ];
  return lines.join("\n") + stringify(projectTemplate(handlers), { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false });
}

export function projectTemplate(given: ProjectHandler[]): Record<string, unknown> {
  const handlers = byFolder(given);
  const prefixes = logicalPrefixes(handlers.map((h) => h.folder));
  const parameters: Record<string, unknown> = sharedParameters();
  const resources: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = {};
  for (const [i, { handler, folder, machineName }] of handlers.entries()) {
    const at = placement(prefixes[i]!, folder);
    const part = handlerStack(handler, machineName, at);
    Object.assign(parameters, part.parameters.names, part.parameters.invokes);
    Object.assign(resources, part.resources);
    outputs[at.id("StateMachineArn")] = exported(`ARN of the state machine of ${about(handlers[i]!)}`, { Ref: at.id("StateMachine") }, at.id("StateMachineArn"));
    outputs[at.id("StateMachineName")] = exported(`Name of the state machine of ${about(handlers[i]!)}`, { "Fn::GetAtt": [at.id("StateMachine"), "Name"] }, at.id("StateMachineName"));
  }
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Transform: "AWS::Serverless-2016-10-31",
    // Not the list of handlers: a template's Description holds at most 1024 bytes.
    Description: `${handlers.length} durable handlers as Step Functions state machines, compiled by durable2sfn`,
    Parameters: parameters,
    Conditions: sharedConditions(),
    Resources: resources,
    Outputs: outputs,
  };
}

/** By folder, not by argument: the same files give the same template in any order, as they give the same folders. */
function byFolder(handlers: ProjectHandler[]): ProjectHandler[] {
  return [...handlers].sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
}

/** `handler of handler.ts (default name samples-approval-handler)`: the default name tells files of the same name apart, the same from any folder. */
function about({ handler, machineName }: ProjectHandler): string {
  return `${handler.name} of ${handler.sourceMap.file} (default name ${machineName})`;
}

function exported(description: string, value: unknown, name: string) {
  return { Description: description, Value: value, Export: { Name: { "Fn::Sub": `\${AWS::StackName}-${name}` } } };
}

/**
 * A logical-ID prefix per folder: its letters and digits in PascalCase (`approval-handler` is
 * `ApprovalHandler`), a counter when two folders give the same one (`a-b` and `a_b`), and a
 * leading `H` when it would start with a digit (logical IDs are alphanumeric; any start is
 * accepted, but reads better so).
 */
export function logicalPrefixes(folders: string[]): string[] {
  const taken = new Set<string>();
  return folders.map((folder) => {
    const words = folder.split(/[^A-Za-z0-9]+/).filter(Boolean);
    let base = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("") || "Handler";
    if (/^[0-9]/.test(base)) base = `H${base}`;
    let prefix = base;
    for (let n = 2; taken.has(prefix.toLowerCase()); n++) prefix = `${base}${n}`;
    taken.add(prefix.toLowerCase());
    return prefix;
  });
}
