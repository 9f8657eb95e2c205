/** Pictures customers send are fetched with a size limit kept while the body streams. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadImage } from '../../../adapters/common/download.ts';

let server: Server;
let base = '';
let endlessChunksSent = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/small.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(1000, 7));
    if (req.url === '/declared-large.png') return res.writeHead(200, { 'content-length': String(10_000_000) }).end();
    if (req.url === '/private.png') return req.headers.authorization === 'Bearer xoxb-1' ? res.writeHead(200).end(Buffer.alloc(10, 1)) : res.writeHead(403).end();
    if (req.url === '/endless.png') {
      // no Content-Length, and it never ends: only counting while reading can stop it
      res.writeHead(200, { 'content-type': 'image/png' });
      const timer = setInterval(() => {
        endlessChunksSent++;
        res.write(Buffer.alloc(64 * 1024, 1));
      }, 1);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const limits = { maxBytes: 100_000, timeoutMs: 5000 };

describe('downloading a customer\'s picture', () => {
  it('returns the bytes of a picture within the limit, with the headers given (a bot token)', async () => {
    expect(await downloadImage(`${base}/small.png`, limits)).toEqual(new Uint8Array(Buffer.alloc(1000, 7)));
    expect((await downloadImage(`${base}/private.png`, { ...limits, headers: { authorization: 'Bearer xoxb-1' } })).byteLength).toBe(10);
    await expect(downloadImage(`${base}/private.png`, limits)).rejects.toThrow('the picture could not be fetched (HTTP 403)');
  });

  it('refuses a picture whose declared size is over the limit without reading it', async () => {
    await expect(downloadImage(`${base}/declared-large.png`, limits)).rejects.toThrow('the picture is larger than 100000 bytes');
  });

  it('stops reading a body without a declared size as soon as it passes the limit', async () => {
    await expect(downloadImage(`${base}/endless.png`, limits)).rejects.toThrow('the picture is larger than 100000 bytes');
    const sentWhenStopped = endlessChunksSent;
    await new Promise((r) => setTimeout(r, 200));
    expect(endlessChunksSent - sentWhenStopped).toBeLessThan(5); // the connection was closed: the server stopped writing
  });

  it('refuses a missing picture and a slow one', async () => {
    await expect(downloadImage(`${base}/missing.png`, limits)).rejects.toThrow('HTTP 404');
    await expect(downloadImage(`${base}/endless.png`, { maxBytes: 1e12, timeoutMs: 300 })).rejects.toThrow(/abort|timeout/i);
  });
});
