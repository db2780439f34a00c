import { expect, it } from "vitest";
import { allFixtures, describeEquivalence, fixtureShare } from "./equivalence.ts";

// Equivalence with the SDK (equivalence.ts) for the first half of the fixtures that time no callback out.
describeEquivalence(fixtureShare({ index: 0, count: 2 }));

it("the three equivalence files together run every fixture, each once", () => {
  const shares = [fixtureShare({ timeouts: true }), fixtureShare({ index: 0, count: 2 }), fixtureShare({ index: 1, count: 2 })];
  expect(shares.flat().sort()).toEqual([...allFixtures]);
  expect(shares.every((share) => share.length > 0)).toBe(true);
});
