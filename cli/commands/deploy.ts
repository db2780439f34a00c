import { CreateFunctionCommand, UpdateFunctionCodeCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, type LambdaClient } from "@aws-sdk/client-lambda";
import { CreateStateMachineCommand, UpdateStateMachineCommand, type SFNClient } from "@aws-sdk/client-sfn";
import type { Command } from "commander";
import path from "node:path";
import { bundleFragments, defaultName, fragmentsFunctionName } from "../../compiler/index.ts";
import { describeAwsError, endpointFor, lambdaClient, sfnClient, type AwsFlags } from "../aws-clients.ts";
import { substituteEnvironment } from "../../api/index.ts";
import { deployedDefinition, fragmentsZip, planDeploy, type DeployPlan } from "../deploy-plan.ts";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "../exit.ts";
import { isHandlerFile, pickHandler } from "../pick-handler.ts";

interface DeployFlags extends AwsFlags {
  name?: string;
  handler?: string;
  roleArn?: string;
  functionRoleArn?: string;
  dryRun?: boolean;
  force?: boolean;
}

/** Used on local endpoints when no role is given: `serve` does not check roles. */
const LOCAL_ROLE = "arn:aws:iam::123456789012:role/durable2sfn-local";
const WAIT_SECONDS = 120;

export function registerDeploy(program: Command, setExit: (code: number) => void): void {
  program
    .command("deploy")
    .description("Create or update the state machine and the fragments function of a handler (idempotent)")
    .argument("<handler.ts>", "the TypeScript file of the durable handler")
    .option("--name <name>", "state machine name (default: <file>-<handler>); the function is <name>-fragments")
    .option("--handler <export>", "which handler, when the file exports several")
    .option("--region <region>", "AWS region (default: AWS_REGION, the AWS config)")
    .option("--endpoint-url <url>", "endpoint for both services, e.g. a local `durable2sfn serve` (default: AWS_ENDPOINT_URL_SFN / _LAMBDA, AWS_ENDPOINT_URL)")
    .option("--role-arn <arn>", "execution role of the state machine (and of the function unless --function-role-arn); required to create on AWS")
    .option("--function-role-arn <arn>", "execution role of the fragments function")
    .option("--dry-run", "show what would change, change nothing")
    .option("--force", "replace a state machine of that name built from another handler")
    .addHelpText(
      "after",
      `
For least-privilege roles made for you, deploy build/<handler>/template.yaml with SAM instead.

Exit codes: 0 deployed, already up to date, or planned (--dry-run); 1 compile errors, a failed AWS call, or a
state machine of that name built from another handler (without --force); 2 usage errors.`,
    )
    .action(async (file: string, flags: DeployFlags) => {
      if (!isHandlerFile(file)) throw new UsageError(`deploy takes a handler (.ts or .js), not ${file}`);
      const handler = pickHandler(file, flags.handler);
      const machineName = flags.name ?? defaultName(handler);
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(machineName)) throw new UsageError(`--name must be 1-80 letters, digits, - or _, not "${machineName}"`);
      const names = { machine: machineName, fn: fragmentsFunctionName(machineName) };
      // serve keeps the relay's table in memory; on AWS it is a DynamoDB table, which only the template and the construct make.
      if (!isLocalEndpoint(flags) && Object.values(handler.sourceMap.states).some((entry) => entry.relay)) {
        throw new UsageError(`${handler.name}: a callback of this handler goes through the callback relay, which needs its DynamoDB table on AWS: deploy its template.yaml with SAM, or use the CDK construct`);
      }
      const zip = fragmentsZip(await bundleFragments(handler.fragmentsSource, handler.file));
      // Invokes of functions the environment names take the values of this process's environment.
      const definition = substituteEnvironment(handler, {}, "the environment of deploy");
      const clients = { sfn: sfnClient(flags), lambda: lambdaClient(flags) };
      try {
        const plan = await planDeploy(clients, names, definition, zip, flags.roleArn);
        if (plan.machine.builtFrom && !flags.force) {
          process.stderr.write(`durable2sfn deploy: state machine ${plan.machine.name} holds ${plan.machine.builtFrom}, not ${handler.name} from ${path.basename(handler.file)}; nothing changed (--name gives this handler its own, --force replaces it)\n`);
          return setExit(EXIT_FAILURE);
        }
        const roles = rolesFor(plan, flags);
        if (flags.dryRun) {
          process.stdout.write(`Plan (dry run, nothing changed):\n${describePlan(plan)}`);
          return setExit(EXIT_OK);
        }
        if (plan.fn.change === "unchanged" && plan.machine.change === "unchanged") {
          process.stdout.write(`Up to date: ${plan.machine.name} and ${plan.fn.name} already match ${file}; nothing to deploy.\n`);
          return setExit(EXIT_OK);
        }
        const functionArn = await applyFunction(clients.lambda, plan, zip, roles.fn);
        const machineArn = await applyStateMachine(clients.sfn, plan, deployedDefinition(definition, functionArn), roles.machine);
        process.stdout.write(`${describePlan(plan, "done")}\nstate machine: ${machineArn}\n`);
        setExit(EXIT_OK);
      } catch (err) {
        if (err instanceof UsageError) throw err;
        process.stderr.write(`durable2sfn deploy: ${describeAwsError(err, endpointFor("SFN", flags))}\n`);
        setExit(EXIT_FAILURE);
      } finally {
        clients.sfn.destroy();
        clients.lambda.destroy();
      }
    });
}

function isLocalEndpoint(flags: DeployFlags): boolean {
  return /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(endpointFor("SFN", flags) ?? "");
}

/** Roles are needed only to create; a local endpoint gets a stand-in, AWS needs real ones. */
function rolesFor(plan: DeployPlan, flags: DeployFlags): { machine?: string; fn?: string } {
  const local = isLocalEndpoint(flags);
  const machine = flags.roleArn ?? plan.machine.roleArn ?? (local ? LOCAL_ROLE : undefined);
  const fn = flags.functionRoleArn ?? flags.roleArn ?? (local ? LOCAL_ROLE : undefined);
  if (plan.machine.change === "create" && !machine) throw new UsageError("creating the state machine needs --role-arn");
  if (plan.fn.change === "create" && !fn) throw new UsageError("creating the fragments function needs --function-role-arn or --role-arn");
  return { machine, fn };
}

async function applyFunction(lambda: LambdaClient, plan: DeployPlan, zip: Uint8Array, role: string | undefined): Promise<string> {
  const waiter = { client: lambda, maxWaitTime: WAIT_SECONDS, minDelay: 1, maxDelay: 5 };
  const FunctionName = plan.fn.name;
  if (plan.fn.change === "create") {
    const created = await lambda.send(
      new CreateFunctionCommand({ FunctionName, Role: role, Runtime: "nodejs22.x", Handler: "index.handler", Code: { ZipFile: zip }, Timeout: 60, MemorySize: 256 }),
    );
    // A new function is Pending for a moment; a state machine invoking it then would fail.
    await waitUntilFunctionActiveV2(waiter, { FunctionName });
    return created.FunctionArn!;
  }
  if (plan.fn.change === "update") {
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName, ZipFile: zip }));
    await waitUntilFunctionUpdatedV2(waiter, { FunctionName });
    return updated.FunctionArn!;
  }
  return plan.fn.arn!;
}

async function applyStateMachine(sfn: SFNClient, plan: DeployPlan, definition: string, roleArn: string | undefined): Promise<string> {
  if (plan.machine.change === "create") {
    const created = await sfn.send(new CreateStateMachineCommand({ name: plan.machine.name, definition, roleArn, type: "STANDARD" }));
    return created.stateMachineArn!;
  }
  if (plan.machine.change === "update") {
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: plan.machine.arn, definition, roleArn }));
  }
  return plan.machine.arn!;
}

function describePlan(plan: DeployPlan, tense: "plan" | "done" = "plan"): string {
  const verb = (change: string, what = "") =>
    ({
      create: tense === "plan" ? "create" : "created",
      update: tense === "plan" ? `update ${what}` : `updated ${what}`,
      unchanged: "unchanged",
    })[change]!.trim();
  const code = `code sha256 ${plan.fn.codeSha256}`;
  return [
    `  function ${plan.fn.name}: ${verb(plan.fn.change, "code")}${plan.fn.change === "unchanged" ? "" : ` (${code})`}`,
    `  state machine ${plan.machine.name}: ${verb(plan.machine.change, plan.machine.what)}`,
    "",
  ].join("\n");
}
