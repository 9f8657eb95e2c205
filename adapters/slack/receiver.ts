import { verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';

/** How long Slack waits for an answer before it delivers the request again. */
const SLACK_WAITS_MS = 3000;

/**
 * Bolt's receiver on kefu's own fastify server: Slack's requests arrive at the channel's `/events` route,
 * are checked (v0 signature, timestamp within 5 minutes, by Bolt's own `verifySlackRequest`) and handed to
 * the Bolt app, whose `ack` answers the HTTP request. Events API and interactivity (buttons) share the route.
 */
export class FastifyReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly signingSecret: string) {}

  init(app: App) {
    this.app = app;
  }

  async start() {}

  async stop() {}

  readonly routes = async (fastify: FastifyInstance) => {
    // the signature is over the raw body: this scope reads bodies as text and parses them itself
    fastify.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

    fastify.post('/events', async (req, reply) => {
      const raw = String(req.body ?? '');
      try {
        verifySlackRequest({
          signingSecret: this.signingSecret,
          body: raw,
          headers: { 'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''), 'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']) },
        });
      } catch (err) {
        return reply.code(401).send({ error: `refused: ${(err as Error).message}` });
      }
      let body: Record<string, unknown>;
      try {
        body = parseBody(raw, String(req.headers['content-type'] ?? ''));
      } catch {
        return reply.code(400).send({ error: 'the body is neither JSON nor a form with a JSON payload' });
      }
      if (body.type === 'url_verification') return { challenge: body.challenge };
      if (!this.app) return reply.code(503).send({ error: 'the Slack app is not ready yet' });

      const answer = new Promise<unknown>((resolve) => {
        const event: ReceiverEvent = {
          body,
          retryNum: req.headers['x-slack-retry-num'] === undefined ? undefined : Number(req.headers['x-slack-retry-num']),
          retryReason: req.headers['x-slack-retry-reason'] as string | undefined,
          ack: async (response) => resolve(response ?? ''),
        };
        this.app!.processEvent(event).then(
          () => resolve(''),
          (err) => {
            req.log.error({ err }, 'slack event failed');
            resolve('');
          },
        );
        setTimeout(() => resolve(''), SLACK_WAITS_MS).unref();
      });
      const response = await answer;
      return reply.code(200).send(response === '' ? '' : response);
    });
  };
}

/** Events come as JSON; interactivity as a form whose `payload` field is JSON. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    return payload ? (JSON.parse(payload) as Record<string, unknown>) : Object.fromEntries(form);
  }
  return JSON.parse(raw) as Record<string, unknown>;
}
