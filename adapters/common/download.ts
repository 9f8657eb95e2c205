/**
 * Fetches a picture a customer sent from their channel's servers, reading at most `maxBytes`: the
 * Content-Length is checked first and the body counted while it streams, so a large or endless answer is
 * cut off, never held in memory whole. Throws (the caller keeps the picture's address instead) when the
 * answer is not 2xx, too large, or slower than `timeoutMs`.
 */
export async function downloadImage(url: string, opts: { maxBytes: number; timeoutMs: number; headers?: Record<string, string> }): Promise<Uint8Array> {
  const res = await fetch(url, { headers: opts.headers, signal: AbortSignal.timeout(opts.timeoutMs) });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(`the picture could not be fetched (HTTP ${res.status})`);
  }
  const tooLarge = () => new Error(`the picture is larger than ${opts.maxBytes} bytes`);
  if (Number(res.headers.get('content-length') ?? 0) > opts.maxBytes) {
    await res.body.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > opts.maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
