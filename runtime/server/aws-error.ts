/**
 * An error as the AWS APIs return it. Step Functions (AWS JSON 1.0) sends HTTP 400 with
 * `{"__type": "com.amazonaws.swf.service.v2.model#<Type>", "message"}`; Lambda (REST-JSON) sends the
 * type in the `x-amzn-ErrorType` header. The SDK turns either into its typed exception.
 */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const SFN_ERROR_PREFIX = "com.amazonaws.swf.service.v2.model#";
