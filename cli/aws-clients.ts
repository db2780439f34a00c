import { LambdaClient } from "@aws-sdk/client-lambda";
import { SFNClient } from "@aws-sdk/client-sfn";
import { UsageError } from "./exit.ts";

export interface AwsFlags {
  region?: string;
  endpointUrl?: string;
}

// The SDK warns on Node 20 that its releases after January 2027 will need Node 22: nothing a user
// of this command can act on, printed on every run. Set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * The endpoint a client talks to: `--endpoint-url`, else the AWS CLI's variables
 * AWS_ENDPOINT_URL_<SERVICE> then AWS_ENDPOINT_URL, else the real service.
 */
export function endpointFor(service: "SFN" | "LAMBDA", flags: AwsFlags, env = process.env): string | undefined {
  return flags.endpointUrl ?? env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL ?? undefined;
}

/** Where the endpoint came from, to name it in a usage error. */
function endpointSource(service: "SFN" | "LAMBDA", flags: AwsFlags, env = process.env): string {
  if (flags.endpointUrl !== undefined) return "--endpoint-url";
  return env[`AWS_ENDPOINT_URL_${service}`] !== undefined ? `AWS_ENDPOINT_URL_${service}` : "AWS_ENDPOINT_URL";
}

/**
 * The endpoint, refused as a usage error unless it is an http(s) URL: the SDK would otherwise
 * take it for a host name and fail later with a message about something else (a missing region).
 */
function checkedEndpoint(service: "SFN" | "LAMBDA", flags: AwsFlags): string | undefined {
  const endpoint = endpointFor(service, flags);
  if (endpoint === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(endpoint).protocol;
  } catch {
    // not a URL at all
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new UsageError(`${endpointSource(service, flags)} must be an http:// or https:// URL, not "${endpoint}"`);
  }
  return endpoint;
}

function isLocal(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    return LOCAL_HOSTS.has(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/**
 * Shared client settings. A local endpoint (`durable2sfn serve`) gets a default region and, when
 * nothing in the environment names credentials, dummy ones: the SDK signs every request and
 * would otherwise stop before sending it. `disableHostPrefix` keeps `sync-` off local hosts.
 */
function clientConfig(service: "SFN" | "LAMBDA", flags: AwsFlags) {
  const endpoint = checkedEndpoint(service, flags);
  const local = isLocal(endpoint);
  const env = process.env;
  const region = flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (local ? "us-east-1" : undefined);
  const namedCredentials = env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE;
  return {
    ...(endpoint && { endpoint, disableHostPrefix: true }),
    ...(region && { region }),
    ...(local && !namedCredentials && { credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
  };
}

export const sfnClient = (flags: AwsFlags) => new SFNClient(clientConfig("SFN", flags));
export const lambdaClient = (flags: AwsFlags) => new LambdaClient(clientConfig("LAMBDA", flags));

/** Node's codes for a request that reached no server (refused, no such host, no route, timed out). */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/** The network code of a failed AWS call when no server answered it, else undefined. */
export function unreachableCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  const code = e?.code ?? e?.cause?.code;
  return code !== undefined && UNREACHABLE.has(code) ? code : undefined;
}

/** One line for a failed AWS call: the service's error type and message, or why nothing was sent. */
export function describeAwsError(err: unknown, endpoint: string | undefined): string {
  const e = err as { name?: string; message?: string };
  const network = unreachableCode(err);
  if (network) return `cannot reach ${endpoint ?? "AWS"} (${network})`;
  return `${e.name ?? "Error"}: ${e.message ?? String(err)}`;
}
