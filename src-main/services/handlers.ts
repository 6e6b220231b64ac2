/**
 * What the services offer every renderer transport (Electron IPC, the dev/test bridge): one
 * handler per request channel of the contract, called with a client to push events back to.
 */
import type { ParamsOf, PushChannel, PushMap, RequestChannel, ResultOf } from '../../src-shared/ipc/contract';

/** One connected renderer (a window over IPC, or a page over the dev/test bridge). */
export interface ClientContext {
  readonly id: string;
  emit<E extends PushChannel>(event: E, data: PushMap[E]): void;
}

export type Handler<C extends RequestChannel> = (params: ParamsOf<C>, client: ClientContext) => Promise<ResultOf<C>>;

/** A handler for every channel: a channel added to the contract without one does not compile. */
export type Handlers = { [C in RequestChannel]: Handler<C> };
