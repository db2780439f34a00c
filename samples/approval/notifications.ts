// Simulated approval inbox and notification channel. Deterministic: everything is derived from
// the request, so a scenario fully decides the run.

export interface ExpenseRequest {
  requestId: string;
  requester: string;
  approver: string;
  manager: string;
  amountCents: number;
  description: string;
  /** How many reminder rounds the approver gets before the request is escalated (default 1). */
  maxReminders?: number;
}

export interface Decision {
  approved: boolean;
  decidedBy: string;
  comment: string;
}

export interface TicketRecord {
  ticketId: string;
  priority: "low" | "high";
}

export async function openTicket(request: ExpenseRequest): Promise<TicketRecord> {
  return { ticketId: `apr-${request.requestId}`, priority: request.amountCents >= 100_000 ? "high" : "low" };
}

export async function sendApprovalEmail(to: string, ticket: TicketRecord, callbackId: string, round: number): Promise<void> {
  // A real implementation would e-mail a link carrying the callback id.
  if (to.length === 0 || callbackId.length === 0) throw new Error(`cannot notify for ticket ${ticket.ticketId} (round ${round})`);
}

export async function sendReminder(to: string, ticket: TicketRecord, round: number): Promise<string> {
  return `reminder ${round} sent to ${to} for ${ticket.ticketId}`;
}

export async function escalate(request: ExpenseRequest, ticket: TicketRecord): Promise<string> {
  return `${ticket.ticketId} escalated from ${request.approver} to ${request.manager}`;
}

export async function recordOutcome(ticket: TicketRecord, outcome: string): Promise<string> {
  return `${ticket.ticketId}:${outcome}`;
}

/** Parses the raw callback payload, e.g. `{"approved":true,"comment":"ok"}`. */
export function parseDecision(raw: string, decidedBy: string): Decision {
  const value = JSON.parse(raw) as { approved?: unknown; comment?: unknown };
  if (typeof value.approved !== "boolean") throw new Error(`malformed decision from ${decidedBy}: ${raw}`);
  return { approved: value.approved, decidedBy, comment: typeof value.comment === "string" ? value.comment : "" };
}
