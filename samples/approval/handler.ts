import {
  CallbackExternalError,
  CallbackTimeoutError,
  withDurableExecution,
  type DurableContext,
} from "@aws/durable-execution-sdk-js";
import {
  escalate,
  openTicket,
  parseDecision,
  recordOutcome,
  sendApprovalEmail,
  sendReminder,
  type Decision,
  type ExpenseRequest,
} from "./notifications.ts";

export interface ApprovalResult {
  requestId: string;
  status: "approved" | "rejected" | "error";
  decidedBy?: string;
  comment?: string;
  reminders: number;
  escalated: boolean;
}

/**
 * Expense approval: ask the approver (24 h per round), remind them with growing pauses, and
 * escalate to their manager when every round times out. If the manager does not answer within
 * two days either, the request is closed and the execution fails with the timeout.
 */
export const handler = withDurableExecution(async (event: ExpenseRequest, context: DurableContext): Promise<ApprovalResult> => {
  const ticket = await context.step("open-ticket", async () => openTicket(event));
  const maxReminders = event.maxReminders ?? 1;

  let decision: Decision | null = null;
  let reminders = 0;
  let round = 0;
  while (round <= maxReminders) {
    if (round > 0) {
      // Give the approver a little longer before each reminder.
      await context.wait("reminder-pause", { hours: 2 * round });
      await context.step("send-reminder", async () => sendReminder(event.approver, ticket, round));
      reminders = round;
    }
    round++;
    try {
      const raw = await context.waitForCallback(
        "approver-decision",
        async (callbackId) => sendApprovalEmail(event.approver, ticket, callbackId, reminders),
        { timeout: { hours: 24 } },
      );
      decision = parseDecision(raw, event.approver);
      break;
    } catch (error) {
      if (error instanceof CallbackTimeoutError) continue;
      if (error instanceof CallbackExternalError) {
        await context.step("record-outcome", async () => recordOutcome(ticket, "approver-error"));
        return { requestId: event.requestId, status: "error", comment: error.message, reminders, escalated: false };
      }
      throw error;
    }
  }

  let escalated = false;
  if (decision === null) {
    escalated = true;
    await context.step("escalate", async () => escalate(event, ticket));
    try {
      const raw = await context.waitForCallback(
        "manager-decision",
        async (callbackId) => sendApprovalEmail(event.manager, ticket, callbackId, reminders + 1),
        { timeout: { days: 2 } },
      );
      decision = parseDecision(raw, event.manager);
    } catch (error) {
      if (error instanceof CallbackTimeoutError) {
        await context.step("record-outcome", async () => recordOutcome(ticket, "expired"));
      }
      throw error;
    }
  }

  const outcome = decision.approved ? "approved" : "rejected";
  await context.step("record-outcome", async () => recordOutcome(ticket, outcome));
  return {
    requestId: event.requestId,
    status: outcome,
    decidedBy: decision.decidedBy,
    comment: decision.comment,
    reminders,
    escalated,
  };
});
