import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { unzipSync } from "fflate";
import { ACCOUNT } from "../emulator/limits.ts";
import { shortFunctionName } from "../emulator/integrations.ts";
import { isRelayEvent, type RelayEvent } from "../../protocol/index.ts";
import { AwsError } from "./aws-error.ts";
import { checkName, optionalInteger, optionalString, requiredString, type Body } from "./fields.ts";
import { WorkerPool, type InvokeOutcome } from "./function-workers.ts";

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
  /** The environments of the current version; each code update gets a new folder, so a fresh module. */
  pool: WorkerPool;
}

/**
 * The node_modules folder that holds the AWS SDK v3 (what the nodejs22.x runtime provides): the
 * clone's own, or the user's project's when durable2sfn is installed there (npm hoists it).
 */
const RUNTIME_MODULES = modulesFolderOf("@aws-sdk/client-lambda");

function modulesFolderOf(pkg: string): string {
  const entry = createRequire(import.meta.url).resolve(pkg);
  return entry.slice(0, entry.lastIndexOf(`${path.sep}node_modules${path.sep}`) + `${path.sep}node_modules`.length);
}

/** Lambda's quota on the unzipped code of a function (the zip itself is bounded by the request size). */
const UNZIPPED_BYTES = 250 * 1024 * 1024;

/** `file.export` or `dir/file.export`: a relative module path inside the function's folder (no segment starts with a dot, so no `..`). */
const HANDLER = /^(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The Lambda functions deployed to `serve`: CreateFunction / UpdateFunctionCode take the zip the
 * client sends and unzip it to a folder of its own; Invoke runs the handler in a child process
 * (function-workers.ts) with the function's Timeout and MemorySize. Enough for the fragments
 * function of a compiled handler; no environment variables, layers or aliases.
 */
export class Functions {
  private readonly functions = new Map<string, DeployedFunction>();
  private readonly root = mkdtempSync(path.join(os.tmpdir(), "durable2sfn-serve-"));
  private versions = 0;

  constructor(private readonly log: (line: string) => void = () => {}) {}

  create(body: Body, region: string): FunctionConfiguration {
    const name = requiredString(body, "FunctionName");
    checkName(name, "InvalidParameterValueException", 64);
    if (this.functions.has(name)) throw new AwsError("ResourceConflictException", `Function already exist: ${name}`, 409);
    const handler = optionalString(body, "Handler", 128) ?? "index.handler";
    if (!HANDLER.test(handler)) {
      throw new AwsError("InvalidParameterValueException", `The handler '${handler}' must be file.export or dir/file.export inside the function's code`);
    }
    const role = requiredString(body, "Role", 2048);
    const zip = zipFrom((body.Code as Body | undefined)?.ZipFile);
    const config: FunctionConfiguration = {
      FunctionName: name,
      FunctionArn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`,
      Runtime: optionalString(body, "Runtime"),
      Role: role,
      Handler: handler,
      Timeout: optionalInteger(body, "Timeout", 1, 900) ?? 3,
      MemorySize: optionalInteger(body, "MemorySize", 128, 10240) ?? 128,
      Version: "$LATEST",
      State: "Active",
      LastUpdateStatus: "Successful",
      PackageType: "Zip",
      ...codeFields(zip),
    };
    this.functions.set(name, { config, pool: this.pool(config, this.unpack(zip)) });
    return config;
  }

  updateCode(nameOrArn: string, body: Body): FunctionConfiguration {
    const fn = this.find(nameOrArn);
    const zip = zipFrom(body.ZipFile);
    const codeDir = this.unpack(zip);
    fn.config = { ...fn.config, ...codeFields(zip) };
    fn.pool.close();
    fn.pool = this.pool(fn.config, codeDir);
    return fn.config;
  }

  get(nameOrArn: string): { Configuration: FunctionConfiguration; Code: { RepositoryType: string } } {
    return { Configuration: this.find(nameOrArn).config, Code: { RepositoryType: "S3" } };
  }

  /** Answers the callback relay's events (relay.ts), when set: serve's relay, not the function's process. */
  relay?: (event: RelayEvent) => Promise<unknown>;

  /** Runs the function's handler on `payload` in one of its environments: its answer, or its error payload. */
  async invoke(nameOrArn: string, payload: unknown): Promise<InvokeOutcome> {
    const fn = this.find(nameOrArn);
    if (this.relay && isRelayEvent(payload)) {
      try {
        return { value: await this.relay(payload) };
      } catch (err) {
        // A refused answer (or token) is the function's error, as the deployed relay's would be.
        return { error: { errorType: (err as Error).name || "Error", errorMessage: (err as Error).message, trace: [] } };
      }
    }
    const context = {
      functionName: fn.config.FunctionName,
      functionVersion: "$LATEST",
      invokedFunctionArn: fn.config.FunctionArn,
      memoryLimitInMB: String(fn.config.MemorySize),
      awsRequestId: randomUUID(),
    };
    return fn.pool.invoke(payload, context);
  }

  has(nameOrArn: string): boolean {
    return this.functions.has(shortFunctionName(nameOrArn));
  }

  close(): void {
    for (const fn of this.functions.values()) fn.pool.close();
    rmSync(this.root, { recursive: true, force: true });
  }

  private find(nameOrArn: string): DeployedFunction {
    let name: string;
    try {
      name = shortFunctionName(decodeURIComponent(nameOrArn));
    } catch {
      throw new AwsError("InvalidParameterValueException", "The function name is not a valid URL path segment");
    }
    const fn = this.functions.get(name);
    if (!fn) throw new AwsError("ResourceNotFoundException", `Function not found: ${name}`, 404);
    return fn;
  }

  private pool(config: FunctionConfiguration, codeDir: string): WorkerPool {
    const region = config.FunctionArn.split(":")[3]!;
    const tmp = `${codeDir}-tmp`;
    mkdirSync(tmp, { recursive: true });
    // What the Lambda runtime sets (the parts a handler may read); no credentials, nothing of the server's.
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      TZ: ":UTC",
      LANG: "en_US.UTF-8",
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_LAMBDA_FUNCTION_NAME: config.FunctionName,
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.MemorySize),
      LAMBDA_TASK_ROOT: codeDir,
      TMPDIR: tmp,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
    return new WorkerPool({
      functionName: config.FunctionName,
      codeDir,
      readable: existsSync(RUNTIME_MODULES) ? [realpathSync(RUNTIME_MODULES)] : [],
      writable: tmp,
      handler: config.Handler,
      timeoutSeconds: config.Timeout,
      memoryMb: config.MemorySize,
      env,
      log: this.log,
    });
  }

  /** Unzips to a new folder; every entry must land inside it, and the whole must fit Lambda's unzipped quota. */
  private unpack(zip: Uint8Array): string {
    const dir = path.join(this.root, `v${++this.versions}`);
    let total = 0;
    let files: Record<string, Uint8Array>;
    try {
      // fflate hands the entry names over as written in the zip ("../x", "/abs"); check them before extracting.
      files = unzipSync(zip, {
        filter: (file) => {
          if (!isInside(dir, file.name)) throw new AwsError("InvalidParameterValueException", `Unsafe path in zip: ${file.name}`);
          total += file.originalSize;
          if (total > UNZIPPED_BYTES) throw new AwsError("InvalidParameterValueException", `Unzipped size must be smaller than ${UNZIPPED_BYTES} bytes`);
          return true;
        },
      });
    } catch (err) {
      if (err instanceof AwsError) throw err;
      throw new AwsError("InvalidParameterValueException", `Could not unzip uploaded file: ${(err as Error).message}`);
    }
    mkdirSync(dir);
    for (const [name, bytes] of Object.entries(files)) {
      if (name.endsWith("/")) continue;
      const target = path.resolve(dir, name);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, bytes);
    }
    if (!existsSync(path.join(dir, "node_modules")) && existsSync(RUNTIME_MODULES)) symlinkSync(RUNTIME_MODULES, path.join(dir, "node_modules"), "dir");
    return dir;
  }
}

/**
 * A zip entry name that resolves inside `dir`: relative, with no `..` out of it (on Windows
 * path.resolve also reads a backslash as a separator, so the same check covers it), no NUL.
 */
function isInside(dir: string, name: string): boolean {
  if (name.includes("\0") || path.isAbsolute(name)) return false;
  const target = path.resolve(dir, name);
  return target.startsWith(dir + path.sep) || (target === dir && name.endsWith("/"));
}

function zipFrom(zipFile: unknown): Uint8Array {
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
