import type http from "node:http";
import { AwsError } from "../aws-error.ts";

/** The header the console page adds to its calls: a page of another origin cannot send it without a CORS preflight, which serve refuses. */
export const CONSOLE_HEADER = "x-durable2sfn-console";

/**
 * The console's own requests: addressed to serve's own loopback name (a DNS-rebound page sends
 * its own name in Host), and for calls that change anything (POST) also JSON, with the console's
 * header, from the page's own origin when the browser says (Origin, Sec-Fetch-Site). A form or a
 * `fetch` from another site cannot pass, so no page but serve's own can start executions or answer
 * callbacks; a page elsewhere cannot read the answers either (no CORS headers are ever sent).
 */
export function checkConsoleRequest(req: http.IncomingMessage, allowedHosts: ReadonlySet<string>): void {
  const host = (req.headers.host ?? "").toLowerCase();
  if (!allowedHosts.has(host)) throw new AwsError("AccessDeniedException", `serve answers only requests addressed to its own loopback name, not Host '${host.slice(0, 100)}'`, 403);
  if (req.method === "GET" || req.method === "HEAD") return;
  if (req.method !== "POST") throw new AwsError("AccessDeniedException", `the console does not answer ${String(req.method).slice(0, 20)} requests`, 403);
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) throw new AwsError("AccessDeniedException", "the console answers only its own page (Origin)", 403);
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin") throw new AwsError("AccessDeniedException", "the console answers only its own page (Sec-Fetch-Site)", 403);
  if (req.headers[CONSOLE_HEADER] !== "1") throw new AwsError("AccessDeniedException", `the console's calls carry the header ${CONSOLE_HEADER}: 1`, 403);
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new AwsError("UnsupportedMediaTypeException", `Content-Type must be application/json, not '${type.slice(0, 100)}'`, 415);
}
