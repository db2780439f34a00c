import { readFileSync } from "node:fs";
import { packageFile } from "../protocol/package-file.ts";

/** The version of durable2sfn, as its package.json says (read once, at the first use). */
export const version: string = JSON.parse(readFileSync(packageFile("package.json"), "utf8")).version;
