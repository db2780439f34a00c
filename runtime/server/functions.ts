import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { unzipSync } from "fflate";
import { ACCOUNT } from "../emulator/limits.ts";
import { shortFunctionName } from "../emulator/integrations.ts";
import { AwsError, checkName, requiredString } from "./aws-error.ts";

/** The fields of Lambda's FunctionConfiguration that deploy and the SDK's waiters read. */
export interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime?: string;
  Role: string;
  Handler: string;
  CodeSha256: string;
  CodeSize: number;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  Version: "$LATEST";
  State: "Active";
  LastUpdateStatus: "Successful";
  PackageType: "Zip";
  RevisionId: string;
}

interface DeployedFunction {
  config: FunctionConfiguration;
  /** The unzipped code of the current version; each code update gets a new folder, so a new module. */
  codeDir: string;
  handler?: Promise<LambdaEntry>;
}

type LambdaEntry = (event: unknown, context: object) => unknown;

/** The project's node_modules: what the nodejs22.x runtime provides (the AWS SDK v3) is found there. */
const RUNTIME_MODULES = fileURLToPath(new URL("../../node_modules", import.meta.url));

/**
 * The Lambda functions deployed to `serve`: CreateFunction / UpdateFunctionCode take the zip the
 * client sends, unzip it to a folder, and Invoke imports the handler module from there, in this
 * process. Enough for the fragments function of a compiled handler; no isolation, no concurrency
 * limits, no environment variables.
 */
export class Functions {
  private readonly functions = new Map<string, DeployedFunction>();
  private readonly root = mkdtempSync(path.join(os.tmpdir(), "durable2sfn-serve-"));
  private versions = 0;

  create(body: Record<string, unknown>, region: string): FunctionConfiguration {
    const name = requiredString(body, "FunctionName");
    checkName(name, "InvalidParameterValueException", 64);
    if (this.functions.has(name)) throw new AwsError("ResourceConflictException", `Function already exist: ${name}`, 409);
    const zip = zipFrom(body.Code);
    const config: FunctionConfiguration = {
      FunctionName: name,
      FunctionArn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`,
      Runtime: typeof body.Runtime === "string" ? body.Runtime : undefined,
      Role: requiredString(body, "Role"),
      Handler: typeof body.Handler === "string" ? body.Handler : "index.handler",
      Timeout: typeof body.Timeout === "number" ? body.Timeout : 3,
      MemorySize: typeof body.MemorySize === "number" ? body.MemorySize : 128,
      Version: "$LATEST",
      State: "Active",
      LastUpdateStatus: "Successful",
      PackageType: "Zip",
      ...codeFields(zip),
    };
    this.functions.set(name, { config, codeDir: this.unpack(zip) });
    return config;
  }

  updateCode(nameOrArn: string, body: Record<string, unknown>): FunctionConfiguration {
    const fn = this.find(nameOrArn);
    const zip = zipFrom({ ZipFile: body.ZipFile });
    fn.config = { ...fn.config, ...codeFields(zip) };
    fn.codeDir = this.unpack(zip);
    fn.handler = undefined;
    return fn.config;
  }

  get(nameOrArn: string): { Configuration: FunctionConfiguration; Code: { RepositoryType: string } } {
    return { Configuration: this.find(nameOrArn).config, Code: { RepositoryType: "S3" } };
  }

  /** Calls the function's handler with `payload`; what it throws is the function error. */
  async invoke(nameOrArn: string, payload: unknown): Promise<unknown> {
    const fn = this.find(nameOrArn);
    fn.handler ??= loadHandler(fn.codeDir, fn.config.Handler);
    const handler = await fn.handler;
    const context = {
      functionName: fn.config.FunctionName,
      invokedFunctionArn: fn.config.FunctionArn,
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => fn.config.Timeout * 1000,
    };
    return handler(payload, context);
  }

  has(nameOrArn: string): boolean {
    return this.functions.has(shortFunctionName(nameOrArn));
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private find(nameOrArn: string): DeployedFunction {
    const fn = this.functions.get(shortFunctionName(decodeURIComponent(nameOrArn)));
    if (!fn) throw new AwsError("ResourceNotFoundException", `Function not found: ${nameOrArn}`, 404);
    return fn;
  }

  private unpack(zip: Uint8Array): string {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(zip);
    } catch (err) {
      throw new AwsError("InvalidParameterValueException", `Could not unzip uploaded file: ${(err as Error).message}`);
    }
    const dir = path.join(this.root, `v${++this.versions}`);
    mkdirSync(dir);
    for (const [name, bytes] of Object.entries(files)) {
      const target = path.resolve(dir, name);
      if (!target.startsWith(dir + path.sep)) throw new AwsError("InvalidParameterValueException", `Unsafe path in zip: ${name}`);
      if (name.endsWith("/")) continue;
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, bytes);
    }
    if (!existsSync(path.join(dir, "node_modules")) && existsSync(RUNTIME_MODULES)) symlinkSync(RUNTIME_MODULES, path.join(dir, "node_modules"), "dir");
    return dir;
  }
}

function zipFrom(code: unknown): Uint8Array {
  const zipFile = (code as { ZipFile?: unknown } | undefined)?.ZipFile;
  if (typeof zipFile !== "string") throw new AwsError("InvalidParameterValueException", "Code.ZipFile (a base64 zip) is required; S3 and image code are not supported by serve");
  return new Uint8Array(Buffer.from(zipFile, "base64"));
}

function codeFields(zip: Uint8Array) {
  return {
    CodeSha256: createHash("sha256").update(zip).digest("base64"),
    CodeSize: zip.byteLength,
    LastModified: new Date().toISOString().replace("Z", "+0000"),
    RevisionId: randomUUID(),
  };
}

/** `index.handler` → the `handler` export of index.mjs (or .js, .cjs), as the Node.js runtime resolves it. */
async function loadHandler(codeDir: string, handler: string): Promise<LambdaEntry> {
  const cut = handler.lastIndexOf(".");
  const [moduleName, exportName] = [handler.slice(0, cut), handler.slice(cut + 1)];
  const file = [".mjs", ".js", ".cjs"].map((ext) => path.join(codeDir, moduleName + ext)).find(existsSync);
  if (!file) throw new AwsError("Lambda.ResourceNotFoundException", `Cannot find module '${moduleName}' for handler ${handler}`);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const entry = mod[exportName];
  if (typeof entry !== "function") throw new AwsError("Lambda.ResourceNotFoundException", `${handler} is undefined or not exported`);
  return entry as LambdaEntry;
}
