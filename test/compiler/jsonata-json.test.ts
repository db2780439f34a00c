import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { parsableJson } from "../../compiler/transform/jsonata-json.ts";

/**
 * The guard under which JSON.parse becomes `$parse` (compiler/transform/jsonata-json.ts) decides
 * validity without parsing: JSON.parse itself is the judge here. Whatever the guard takes, JSON.parse
 * takes too, into a value with no -0 and no Infinity; the shapes a callback answer usually has are taken.
 */
const guard = jsonata(parsableJson("$s"));
const takes = async (s: string) => (await guard.evaluate({}, { s })) === true;

function parses(s: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(s) };
  } catch {
    return { ok: false };
  }
}

const hasMinusZeroOrInfinity = (v: unknown): boolean =>
  typeof v === "number" ? Object.is(v, -0) || !Number.isFinite(v) : typeof v === "object" && v !== null && Object.values(v).some(hasMinusZeroOrInfinity);

// Pieces that make JSON and near-JSON, and the placeholders the rewriting itself uses (S, k, #).
const PIECES = ["{", "}", "[", "]", '"', ":", ",", " ", "\n", "1", "0", "-", ".", "e", "5", "a", "S", "k", "#", "\\", "true", "null", '"x"', '"k:"', '"\\u0041"', '"\\ud800"'];

/** A deterministic stream of texts made of PIECES (a linear congruential generator, fixed seed). */
function* texts(count: number): Generator<string> {
  let seed = 141;
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  for (let i = 0; i < count; i++) {
    let s = "";
    for (let j = next(14) + 1; j > 0; j--) s += PIECES[next(PIECES.length)];
    yield s;
  }
}

describe("the JSON.parse guard", () => {
  it("takes only what JSON.parse takes, into values a Variable holds (20,000 generated texts)", async () => {
    let taken = 0;
    for (const s of texts(20_000)) {
      if (!(await takes(s))) continue;
      taken++;
      const parsed = parses(s);
      expect(parsed.ok, s).toBe(true);
      if (parsed.ok) expect(hasMinusZeroOrInfinity(parsed.value), s).toBe(false);
    }
    expect(taken).toBeGreaterThan(500);
  }, 120_000);

  it("takes answers of the usual shapes", async () => {
    for (const s of ['{"approved":true,"comment":"ok"}', ' {\n\t"a" : [1, -2.5, {"b": null}] }\r\n', '"text"', "[]", "{}", "0.1", '{"__proto__":1,"a":"\\"S k:\\""}', '["\\ud83d\\ude00"]']) {
      expect(await takes(s), s).toBe(true);
    }
  });

  it("leaves to code what JSON.parse refuses, and what it reads into -0, Infinity, a lone surrogate or nesting deeper than 32", async () => {
    for (const s of ["", "not json", "{'a':1}", '{"a":1,}', "-0", "[-0.0]", "1e400", "01", '"\\ud800"', "[".repeat(33) + "]".repeat(33), "S", "[S]", '{"a" 1}', "\u00a01"]) {
      expect(await takes(s), s).toBe(false);
    }
    expect(await guard.evaluate({}, { s: 5 })).toBe(false);
    expect(await guard.evaluate({}, {})).toBe(false);
  });
});
