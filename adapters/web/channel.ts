import type { Channel } from '../../bot/turn/channel.ts';
import { CHANNEL, webRoutes, type WebChannelOptions } from './routes.ts';

/**
 * The web chat channel (the widget and the HTTP API under /api). It needs no conversation reference and
 * pushes nothing itself: a customer's browser hears the conversation's messages live on its WebSocket
 * (kefu's live bus, from any process) and reads them over HTTP.
 */
export function webChannel(opts: WebChannelOptions = {}): Channel {
  return {
    name: CHANNEL,
    prefix: '/api',
    routes: webRoutes(opts),
    async send() {},
    pushes: false,
  };
}
