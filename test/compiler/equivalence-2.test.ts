import { describeEquivalence, fixtureShare } from "./equivalence.ts";

// Equivalence with the SDK (equivalence.ts) for  1, count: 2 }:the second half of the fixtures that time no callback out.
describeEquivalence(fixtureShare({ index));
