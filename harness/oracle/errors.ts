/** The oracle could not produce a trace (bad handler module, a run that can never finish, ...). */
export class OracleError extends Error {
  override name = "OracleError";
}
