/** A URL with the value of its `token` query parameter(s) replaced, for logs (a channel's WebSocket carries its token there). */
export function redactTokenInUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/g, '$1[redacted]');
}

/** Request lines for the log: method, URL without tokens, client address. */
export const requestForLog = (req: { method: string; url: string; ip: string }) => ({ method: req.method, url: redactTokenInUrl(req.url), remoteAddress: req.ip });
