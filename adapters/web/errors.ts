/**
 * An error the web API answers with: a 4xx status and `{ error: { code, message, reason? } }`; `reason`
 * says more where a client explains it to the customer in their language (why an image was refused).
 */
export class WebError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}
