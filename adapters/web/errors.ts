/** An error the web API answers with: a 4xx status and `{ error: { code, message } }`. */
export class WebError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
