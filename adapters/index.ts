/**
 * The channels kefu serves, handed to the bot by the CLI. A channel is one folder here (its routes as a
 * fastify plugin, its conversation reference, `send`) and one line in this list.
 */
import type { Channel } from '../bot/turn/channel.ts';
import { webChannel } from './web/channel.ts';
import type { WebChannelOptions } from './web/routes.ts';

export interface ChannelSettings {
  web?: WebChannelOptions;
}

export function channels(settings: ChannelSettings = {}): Channel[] {
  return [webChannel(settings.web)];
}
