import { describeEquivalence, fixtureShare } from "./equivalence.ts";

// Equivalence with the SDK (equivalence.ts) for the fixtures whose scenarios may time a callback out (vitest.config.ts runs this file alone).
describeEquivalence(fixtureShare({ timeouts: true }));
