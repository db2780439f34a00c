import { AwsError } from "./aws-error.ts";
import type { Body } from "./fields.ts";

/** Tags a resource may have (AWS docs, "Tagging in Step Functions": 50 per resource). */
export const MAX_TAGS = 50;

function invalid(message: string): AwsError {
  return new AwsError("ValidationException", `1 validation error detected: ${message}`);
}

/**
 * The `tags` list of CreateStateMachine / TagResource (`[{key, value}]`), checked as the API does:
 * key 1-128 characters, value 0-256, both of letters, digits, spaces and `_.:/=+-@`.
 */
export function tagList(body: Body, field: string): Array<[string, string]> {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`Value at '${field}' failed to satisfy constraint: Member must be a list`);
  return value.map((tag, i) => {
    const { key, value: tagValue = "" } = (tag ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key !== "string" || key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) {
      throw invalid(`Value at '${field}.${i + 1}.member.key' failed to satisfy constraint: Member must have length between 1 and 128 and match pattern ${TAG_TEXT.source}`);
    }
    if (typeof tagValue !== "string" || tagValue.length > 256 || !TAG_TEXT.test(tagValue)) {
      throw invalid(`Value at '${field}.${i + 1}.member.value' failed to satisfy constraint: Member must have length at most 256 and match pattern ${TAG_TEXT.source}`);
    }
    return [key, tagValue];
  });
}

/** UntagResource's `tagKeys`. */
export function tagKeys(body: Body): string[] {
  const value = body.tagKeys;
  if (!Array.isArray(value)) throw invalid("Value at 'tagKeys' failed to satisfy constraint: Member must not be null");
  if (!value.every((k) => typeof k === "string")) throw invalid("Value at 'tagKeys' failed to satisfy constraint: Member must be a list of strings");
  return value;
}

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Adds `tags` (a later value for a key replaces the earlier); more than MAX_TAGS in all is TooManyTags. */
export function addTags(tags: Map<string, string>, added: Array<[string, string]>, resourceArn: string): void {
  const next = new Map(tags);
  for (const [key, value] of added) next.set(key, value);
  if (next.size > MAX_TAGS) throw new AwsError("TooManyTags", `Too many tags: '${resourceArn}' would have ${next.size} tags, the limit is ${MAX_TAGS}`);
  for (const [key, value] of added) tags.set(key, value);
}

export function tagsResponse(tags: Map<string, string>) {
  return { tags: [...tags].map(([key, value]) => ({ key, value })) };
}
