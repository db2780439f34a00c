// Simulated downstream services for the order saga. Every function is deterministic: failures are
// driven by the order event (`failAt`) and by the step attempt (`transientFaults`), so a scenario
// file fully decides what happens.

export type SagaStage = "reserve" | "charge" | "ship";

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface OrderEvent {
  orderId: string;
  customerId: string;
  lines: OrderLine[];
  shippingAddress: { country: string; postalCode: string };
  /** A stage that fails permanently (every attempt). */
  failAt?: SagaStage;
  /** Number of leading attempts of a stage that fail with a transient fault. */
  transientFaults?: Partial<Record<SagaStage, number>>;
}

export interface Reservation {
  reservationId: string;
  skus: string[];
  units: number;
}

export interface Payment {
  paymentId: string;
  amountCents: number;
  attempt: number;
}

export interface Shipment {
  trackingNumber: string;
  carrier: string;
}

function faultFor(order: OrderEvent, stage: SagaStage, attempt: number): void {
  const transient = order.transientFaults?.[stage] ?? 0;
  if (attempt <= transient) {
    throw new Error(`${stage} service unavailable (attempt ${attempt}): gateway timeout`);
  }
  if (order.failAt === stage) {
    switch (stage) {
      case "reserve":
        throw new Error(`insufficient stock for order ${order.orderId}`);
      case "charge":
        throw new Error(`card declined for customer ${order.customerId}`);
      case "ship":
        throw new Error(`carrier rejected shipment to ${order.shippingAddress.country}`);
    }
  }
}

export function orderTotalCents(order: OrderEvent): number {
  return order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
}

export async function reserveInventory(order: OrderEvent, attempt: number): Promise<Reservation> {
  faultFor(order, "reserve", attempt);
  return {
    reservationId: `res-${order.orderId}`,
    skus: order.lines.map((line) => line.sku),
    units: order.lines.reduce((sum, line) => sum + line.quantity, 0),
  };
}

export async function chargePayment(order: OrderEvent, amountCents: number, attempt: number): Promise<Payment> {
  faultFor(order, "charge", attempt);
  return { paymentId: `pay-${order.orderId}-${order.customerId}`, amountCents, attempt };
}

export async function createShipment(order: OrderEvent, reservation: Reservation, attempt: number): Promise<Shipment> {
  faultFor(order, "ship", attempt);
  const carrier = order.shippingAddress.country === "US" ? "UPS" : "DHL";
  return { trackingNumber: `${carrier}-${reservation.reservationId}-${reservation.units}`, carrier };
}

export async function refundPayment(payment: Payment): Promise<{ refundId: string; amountCents: number }> {
  return { refundId: `ref-${payment.paymentId}`, amountCents: payment.amountCents };
}

export async function releaseInventory(reservation: Reservation): Promise<{ released: number }> {
  return { released: reservation.units };
}

export async function sendConfirmation(order: OrderEvent, shipment: Shipment): Promise<string> {
  return `order ${order.orderId} shipped with ${shipment.carrier} (${shipment.trackingNumber})`;
}
