import { BATCH_MARKER } from "../../protocol/index.ts";

/**
 * The BatchResult marker a Map or Parallel state assigns: the outcomes as runtime/fragments/batch.ts
 * reads them, and beside them the batch decided as batch.ts decides it, so that JSONata reads
 * `completionReason`, the counts and the results (jsonata-batch.ts) without a fragment. The items
 * are taken in the order they ended (their `ended` time, 0 where there is none; index order among
 * equal times) and the thresholds checked after each one as the SDK checks them; `counted` holds
 * the indices of the items ended when the thresholds end the batch (the others are STARTED up to
 * maxConcurrency, the rest left out). Where a threshold is not a number (JavaScript would coerce
 * it) the decision is left out and fragments decide. The expression cannot fail: it reads only
 * what the state itself wrote and numbers it checked.
 */
export function batchMarkerJsonata(completion: string, maxConcurrency: string): string {
  const c = "$__c";
  const threshold = (key: string) => `($exists(${c}.${key}) ? $type(${c}.${key}) = "number" : true)`;
  const valid = `($type(${c}) = "null" or $type(${c}) = "object" and ${["minSuccessful", "toleratedFailureCount", "toleratedFailurePercentage"].map(threshold).join(" and ")})`;
  // batch.ts: any key of the thresholds counts as given (`Object.values(completion).some(v => v !== undefined)`; JSON has no undefined).
  const criteria = `$type(${c}) = "object" and $count($keys(${c})) > 0`;
  const exceeded = `($__crit ? ($exists(${c}.toleratedFailureCount) and $f > ${c}.toleratedFailureCount) or ($exists(${c}.toleratedFailurePercentage) and $f / $__n * 100 > ${c}.toleratedFailurePercentage) : $f > 0)`;
  const minReached = `($type(${c}) = "object" and $exists(${c}.minSuccessful) and $s >= ${c}.minSuccessful)`;
  const reason = `(${exceeded} ? "FAILURE_TOLERANCE_EXCEEDED" : $a.k + 1 = $__n ? "ALL_COMPLETED" : ${minReached} ? "MIN_SUCCESSFUL_REACHED")`;
  const step = `function($a, $i) { $exists($a.reason) ? $a : ($o := $__o[$i]; $s := $a.s + ($o.status = "SUCCEEDED" ? 1 : 0); $f := $a.f + ($o.status = "SUCCEEDED" ? 0 : 1); {"s": $s, "f": $f, "reason": ${reason}, "k": $a.k + 1, "counted": $append($a.counted, [$i])}) }`;
  // The indices in the order the items ended: by `ended`, then by index.
  const endedAt = `function($i) { $type($__o[$i].ended) = "number" ? $__o[$i].ended : 0 }`;
  const order = `($__e := ${endedAt}; $sort([0..$__n - 1], function($x, $y) { $__e($x) > $__e($y) or ($__e($x) = $__e($y) and $x > $y) }))`;
  const running = `($type($__m) = "number" ? $__m : $__n)`;
  // batch.ts: the items started by then are the first maxConcurrency and one more for each that ended before.
  const total = `$max([$min([$__n, ${running} + $__d.k - 1]), $__d.k])`;
  const decided = `($__crit := ${criteria}; $__d := $reduce(${order}, ${step}, {"s": 0, "f": 0, "k": 0, "counted": []}); $__total := ${total}; {"outcomes": $__o, "completion": ${c}, "maxConcurrency": $__m, "completionReason": $exists($__d.reason) ? $__d.reason : "ALL_COMPLETED", "successCount": $__d.s, "failureCount": $__d.f, "startedCount": $__total - $__d.k, "totalCount": $__total, "counted": $__d.counted})`;
  const plain = `{"outcomes": $__o, "completion": ${c}, "maxConcurrency": $__m}`;
  return `($__o := $states.result; $__n := $count($__o); ${c} := ${completion}; $__m := ${maxConcurrency}; {"${BATCH_MARKER}": ${valid} ? ${decided} : ${plain}})`;
}
