/**
 * `durable2sfn/cdk`: the CDK construct, apart from the main entry so that importing
 * `durable2sfn` never loads aws-cdk-lib (an optional peer dependency, needed only here).
 */
export { DurableStateMachine, type DurableStateMachineLogOptions, type DurableStateMachineProps, type FragmentsFunctionOptions } from "./durable-state-machine.ts";
