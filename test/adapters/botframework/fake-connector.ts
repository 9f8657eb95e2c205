/**
 * A local stand-in for a Bot Framework channel's connector service (the activity's serviceUrl), in the
 * Bot Connector REST format: the bot posts its activities to /v3/conversations/{id}/activities[/{replyTo}]
 * and gets back a resource id. Records every activity posted.
 */
import Fastify from 'fastify';
import { recorded } from '../../helpers/recorded.ts';

export interface PostedActivity {
  conversationId: string;
  type: string;
  text?: string;
  textFormat?: string;
  suggestedActions?: { actions: { type: string; title: string; text?: string; value?: Record<string, string> }[] };
}

export async function startFakeConnector() {
  const app = Fastify();
  const posted = recorded<PostedActivity>();
  let n = 0;
  const record = async (req: { params: unknown; body: unknown }) => {
    const { conversationId } = req.params as { conversationId: string };
    posted.push({ conversationId: decodeURIComponent(conversationId), ...(req.body as Omit<PostedActivity, 'conversationId'>) });
    return { id: `activity-${++n}` };
  };
  app.post('/v3/conversations/:conversationId/activities', record);
  app.post('/v3/conversations/:conversationId/activities/:replyTo', record);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`,
    posted: posted.items,
    when: posted.when,
    close: () => app.close(),
  };
}
