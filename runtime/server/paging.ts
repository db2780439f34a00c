import { AwsError } from "./aws-error.ts";

/**
 * One page of a list operation (GetExecutionHistory, ListExecutions): `maxResults` items from where
 * `nextToken` says, and the token of the next page when there is one. The token is the offset,
 * opaque to clients (base64), and refused as the API does when it is not one of ours.
 */
export function page<T>(all: T[], maxResults: number, nextToken: string | undefined): { items: T[]; nextToken?: string } {
  let offset = 0;
  if (nextToken !== undefined) {
    offset = Number(Buffer.from(nextToken, "base64").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0) throw new AwsError("InvalidToken", "Invalid Token: the nextToken is not valid");
  }
  const items = all.slice(offset, offset + maxResults);
  const next = offset + maxResults < all.length ? Buffer.from(String(offset + maxResults)).toString("base64") : undefined;
  return { items, ...(next && { nextToken: next }) };
}
