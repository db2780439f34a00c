/**
 * Custom serdes (`{ serdes }` of a step or callback): the user's serialize / deserialize run in
 * the fragments at the points where the SDK runs them, so that the machine's state holds what the
 * SDK's checkpoint holds (the serialised text, e.g. ciphertext), never the value itself.
 *
 * A result kept so is a marker (protocol/markers.ts, SERDES_MARKER_KEY) in its ASL Variable.
 * Every fragment that is handed it deserialises it first, as the SDK deserialises the checkpoint on
 * every replay; its code then sees what the SDK's code sees. The serdes objects come from the
 * fragments module's registry: the compiler writes each serdes expression there by key (it names
 * module-level values only, compiler/transform/serdes.ts).
 */
import { SERDES_FAILED_ERROR, SERDES_MARKER_KEY } from "../../protocol/index.ts";
import { namedError } from "./errors.ts";

/** What the SDK hands a serdes besides the value (its SerdesContext). */
export interface SerdesContext {
  entityId: string;
  durableExecutionArn: string;
}

interface Serdes {
  serialize?: (value: unknown, context: SerdesContext) => Promise<string | undefined>;
  deserialize?: (data: string | undefined, context: SerdesContext) => Promise<unknown>;
}

/** The registry of the fragments module: one function per serdes expression, evaluated when first needed. */
export type SerdesRegistry = Record<string, () => unknown>;

/** What the marker holds: everything deserialize needs, so any fragment can run it. */
export interface SerdesMarkerBody {
  key: string;
  entityId: string;
  /** The Step Functions execution ARN: the SDK gives its durable execution's ARN here. */
  durableExecutionArn: string;
  /** The operation's name, for the SDK's failure message. */
  name?: string;
  data?: string;
}

export function serdesMarkerBody(value: unknown): SerdesMarkerBody | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === SERDES_MARKER_KEY ? ((value as Record<string, SerdesMarkerBody>)[SERDES_MARKER_KEY] as SerdesMarkerBody) : undefined;
}

/**
 * The SDK's safeSerialize / safeDeserialize: a serdes that throws ends the run with
 * SerdesFailedError and the SDK's message; nothing of the handler catches it (the machine's
 * catchers let it pass, compiler/transform/serdes.ts).
 */
export class SerdesRunner {
  constructor(
    private readonly registry: SerdesRegistry,
    private readonly raise: (error: Error) => Error,
  ) {}

  private serdes(key: string): Serdes {
    const make = this.registry[key];
    if (!make) throw this.raise(new Error(`no serdes registered under ${JSON.stringify(key)} in this bundle`));
    return make() as Serdes;
  }

  private failure(what: "Serialization" | "Deserialization", name: string | null | undefined, entityId: string, error: unknown): Error {
    const reason = error instanceof Error ? error.message : `Unknown ${what.toLowerCase()} error`;
    const message = `[Unrecoverable Invocation] ${what} failed for step ${name ? `"${name}" ` : ""}(${entityId}): ${reason}`;
    return this.raise(namedError(SERDES_FAILED_ERROR, message));
  }

  /**
   * A step's result as the SDK checkpoints it, then read back as its first run hands it on
   * (deserialize of what serialize wrote): the marker the machine keeps. The entity id is new for
   * each run of the operation (the SDK's is its place in the run order, which a machine does not count).
   */
  async serialize(key: string, name: string | null | undefined, durableExecutionArn: string, value: unknown): Promise<Record<string, SerdesMarkerBody>> {
    const entityId = crypto.randomUUID();
    let data: string | undefined;
    try {
      data = await this.serdes(key).serialize!(value, { entityId, durableExecutionArn });
    } catch (error) {
      throw this.failure("Serialization", name, entityId, error);
    }
    const body: SerdesMarkerBody = { key, entityId, durableExecutionArn, ...(name != null && { name }), ...(data !== undefined && { data }) };
    await this.deserialize(body);
    return { [SERDES_MARKER_KEY]: body };
  }

  async deserialize(body: SerdesMarkerBody): Promise<unknown> {
    try {
      return await this.serdes(body.key).deserialize!(body.data, { entityId: body.entityId, durableExecutionArn: body.durableExecutionArn });
    } catch (error) {
      throw this.failure("Deserialization", body.name, body.entityId, error);
    }
  }

  /**
   * The locals a fragment is handed, each marker replaced by its deserialised value: also a marker
   * the machine's JSONata copied into another value (a map item's result in a BatchResult, a
   * promise.all outcome, an object literal), found by walking the values once.
   */
  async revive(vars: Record<string, unknown>): Promise<Record<string, unknown>> {
    const seen = new Set<object>();
    const walk = async (value: unknown): Promise<unknown> => {
      const body = serdesMarkerBody(value);
      if (body) return this.deserialize(body);
      if (value === null || typeof value !== "object" || seen.has(value)) return value;
      seen.add(value);
      if (value instanceof Date || value instanceof Map || value instanceof Set || value instanceof Error) return value;
      const holder = value as Record<string, unknown>;
      for (const key of Object.keys(holder)) {
        const inner = holder[key];
        const revived = await walk(inner);
        if (revived !== inner) holder[key] = revived;
      }
      return value;
    };
    for (const local of Object.keys(vars)) vars[local] = await walk(vars[local]);
    return vars;
  }
}
