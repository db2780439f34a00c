import {
  createRetryStrategy,
  JitterStrategy,
  retryPresets,
  withDurableExecution,
  type DurableContext,
} from "@aws/durable-execution-sdk-js";
import {
  chargePayment,
  createShipment,
  orderTotalCents,
  refundPayment,
  releaseInventory,
  reserveInventory,
  sendConfirmation,
  type OrderEvent,
  type Payment,
  type Reservation,
} from "./services.ts";

export interface OrderResult {
  orderId: string;
  status: "completed" | "out-of-stock" | "payment-declined";
  amountCents?: number;
  trackingNumber?: string;
  message: string;
}

/**
 * Order saga: reserve inventory, charge the customer, ship. Each forward step has a compensating
 * step that undoes it when a later stage fails (release the reservation, refund the payment).
 */
export const handler = withDurableExecution(async (event: OrderEvent, context: DurableContext): Promise<OrderResult> => {
  const amountCents = orderTotalCents(event);

  let reservation: Reservation;
  try {
    reservation = await context.step("reserve-inventory", async (stepCtx) => reserveInventory(event, stepCtx.attempt), {
      retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 2 }, backoffRate: 2, jitter: JitterStrategy.NONE }),
    });
  } catch (error) {
    return { orderId: event.orderId, status: "out-of-stock", message: (error as Error).message };
  }

  let payment: Payment;
  try {
    // Only gateway timeouts are worth retrying; a declined card is final.
    payment = await context.step("charge-payment", async (stepCtx) => chargePayment(event, amountCents, stepCtx.attempt), {
      retryStrategy: createRetryStrategy({
        maxAttempts: 4,
        initialDelay: { seconds: 1 },
        maxDelay: { seconds: 10 },
        backoffRate: 3,
        jitter: JitterStrategy.FULL,
        retryableErrors: ["gateway timeout"],
      }),
    });
  } catch (error) {
    await context.step("release-inventory", async () => releaseInventory(reservation), { retryStrategy: retryPresets.default });
    return { orderId: event.orderId, status: "payment-declined", amountCents, message: (error as Error).message };
  }

  try {
    const shipment = await context.step("create-shipment", async (stepCtx) => createShipment(event, reservation, stepCtx.attempt), {
      retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 30 }, backoffRate: 2, jitter: JitterStrategy.NONE }),
    });
    const message = await context.step("send-confirmation", async () => sendConfirmation(event, shipment), {
      retryStrategy: retryPresets.noRetry,
    });
    return { orderId: event.orderId, status: "completed", amountCents, trackingNumber: shipment.trackingNumber, message };
  } catch (error) {
    // Undo in reverse order, then let the execution fail with the original error.
    await context.step("refund-payment", async () => refundPayment(payment));
    await context.step("release-inventory", async () => releaseInventory(reservation));
    throw error;
  }
});
