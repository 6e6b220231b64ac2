import { isRequestChannel } from '../../src-shared/ipc/contract';
import { PARAM_SCHEMAS } from '../../src-shared/ipc/params';
import type { Result } from '../../src-shared/ipc/result';
import { fail, settle } from '../../src-shared/ipc/result';
import type { ClientContext, Handlers } from './handlers';

/**
 * The single entry for requests from any renderer transport: checks the channel and its params
 * against the channel's schema, runs the handler, and turns anything thrown into error data, so
 * no transport loses error fields and no handler sees params of the wrong shape.
 */
export async function dispatch(handlers: Partial<Handlers>, channel: unknown, params: unknown, client: ClientContext): Promise<Result<unknown>> {
  if (!isRequestChannel(channel) || !handlers[channel]) return fail('UNKNOWN_METHOD', `(${String(channel)})`);
  const checked = PARAM_SCHEMAS[channel].safeParse(params);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return fail('INVALID_REQUEST', `(${channel}: ${where}${issue?.message ?? 'malformed params'})`, { channel });
  }
  const handler = handlers[channel] as (params: unknown, client: ClientContext) => Promise<unknown>;
  return settle(() => handler(checked.data, client));
}
