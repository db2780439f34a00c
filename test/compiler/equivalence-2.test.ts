import { describeEquivalence, fixtureShare } from "./equivalence.ts";

// Equivalence with the SDK (equivalence.ts) for the second half of the fixtures that time no callback out.
describeEquivalence(fixtureShare({ index: 1, count: 2 }));
