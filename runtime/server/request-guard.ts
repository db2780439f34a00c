import type http from "node:http";
import os from "node:os";
import { AwsError } from "./aws-error.ts";

/** Which API a request is for: decides the content type it must carry and the error shape of the answer. */
export type Api = "states" | "lambda";

/**
 * Refuses what no AWS client sends but a web page can: `serve` runs code that clients upload, so a
 * page open in a browser must not be able to drive it. A browser's cross-origin request carries
 * `Origin` (and a CORS preflight is an OPTIONS); a page can send a `text/plain` POST without
 * preflight but cannot add an Authorization header to it; a DNS-rebound page reaches the port with
 * its own name in `Host`. The SDK, the CLI and curl with `--aws-sigv4` all pass. The signature
 * itself is not verified (any credentials are accepted, as on the emulator).
 */
export function checkRequest(req: http.IncomingMessage, api: Api, allowedHosts: ReadonlySet<string>): void {
  if (req.method === "OPTIONS") throw new AwsError("AccessDeniedException", "serve does not answer CORS preflight requests", 403);
  if (req.headers.origin !== undefined) throw new AwsError("AccessDeniedException", "serve does not answer requests from web pages (Origin header)", 403);
  const host = (req.headers.host ?? "").toLowerCase();
  if (!allowedHosts.has(host) && !allowedHosts.has(host.replace(HOST_PREFIX, ""))) throw new AwsError("AccessDeniedException", `serve answers only requests addressed to its own loopback name, not Host '${host.slice(0, 100)}'`, 403);
  checkAuthorization(req.headers.authorization, api);
  checkContentType(req, api);
}

/**
 * StartSyncExecution and TestState carry the endpoint prefix `sync-` unless the client turns host
 * prefixes off: `sync-localhost:8083` is this server too, should the name resolve to it.
 */
const HOST_PREFIX = /^sync-/;

const SIGV4 = /^AWS4-HMAC-SHA256 Credential=[^/\s,]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/;

function checkAuthorization(authorization: string | undefined, api: Api): void {
  if (!authorization) throw new AwsError("MissingAuthenticationTokenException", "Missing Authentication Token", 403);
  const match = SIGV4.exec(authorization);
  if (!match) {
    throw new AwsError("IncompleteSignatureException", "Authorization header must be 'AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=..., Signature=...'", 403);
  }
  if (match[2] !== api) throw new AwsError("InvalidSignatureException", `Credential should be scoped to correct service: '${api}'.`, 403);
}

/**
 * Step Functions calls are AWS JSON 1.0; the Lambda calls with a body are JSON (Invoke: what the
 * SDK sends, octet-stream, or JSON). None of these is a type a page may send without a preflight.
 */
function checkContentType(req: http.IncomingMessage, api: Api): void {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const hasBody = req.headers["content-length"] !== undefined ? req.headers["content-length"] !== "0" : req.headers["transfer-encoding"] !== undefined;
  if (api === "lambda" && !hasBody && type === "") return;
  const allowed = api === "states" ? ["application/x-amz-json-1.0"] : req.url?.endsWith("/invocations") ? ["application/json", "application/octet-stream"] : ["application/json"];
  if (!allowed.includes(type)) throw new AwsError("UnsupportedMediaTypeException", `Content-Type must be ${allowed.join(" or ")}, not '${type.slice(0, 100)}'`, 415);
}

/**
 * The Host values a client of this server sends: the loopback names with the port, and the listening
 * address itself; on a wildcard address, every address of this machine's interfaces.
 */
export function hostsFor(listenAddress: string, port: number): Set<string> {
  const addresses = new Set(["localhost", "127.0.0.1", "::1", listenAddress]);
  if (listenAddress === "0.0.0.0" || listenAddress === "::") {
    for (const nics of Object.values(os.networkInterfaces())) for (const nic of nics ?? []) addresses.add(nic.address);
  }
  const hosts = new Set<string>();
  for (const address of addresses) {
    const name = address.includes(":") ? `[${address}]` : address;
    hosts.add(`${name}:${port}`.toLowerCase());
    if (port === 80) hosts.add(name.toLowerCase());
  }
  return hosts;
}
