import { isRequestChannel } from '../../src-shared/ipc/contract';
import type { Result } from '../../src-shared/ipc/result';
import { fail, settle } from '../../src-shared/ipc/result';
import type { ClientContext, Handlers } from './reader-service';

/**
 * The single entry for requests from any renderer transport: checks the channel, runs the
 * handler, and turns anything thrown into error data, so no transport loses error fields.
 */
export async function dispatch(handlers: Partial<Handlers>, channel: unknown, params: unknown, client: ClientContext): Promise<Result<unknown>> {
  if (!isRequestChannel(channel) || !handlers[channel]) return fail('UNKNOWN_METHOD', `(${String(channel)})`);
  const handler = handlers[channel] as (params: unknown, client: ClientContext) => Promise<unknown>;
  return settle(() => handler(params, client));
}
