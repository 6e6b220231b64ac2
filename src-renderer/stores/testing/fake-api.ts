import type { ParamsOf, PushChannel, PushMap, ReaderApi, RequestChannel, ResultOf } from '../../../src-shared/ipc/contract';
import type { Result } from '../../../src-shared/ipc/result';
import { fail, ok } from '../../../src-shared/ipc/result';

type Responder<C extends RequestChannel> = (params: ParamsOf<C>) => ResultOf<C> | Result<ResultOf<C>> | Promise<ResultOf<C> | Result<ResultOf<C>>>;

/**
 * The app as the stores' specs see it: every request is recorded, answered by the responder set
 * for its channel (UNKNOWN_METHOD otherwise), and push events are delivered on demand.
 */
export class FakeApi implements ReaderApi {
  readonly calls: { channel: RequestChannel; params: unknown }[] = [];
  private readonly responders = new Map<RequestChannel, Responder<never>>();
  private readonly listeners = new Map<PushChannel, Set<(data: never) => void>>();
  /** Set by a spec to play the app's preload (which grants handles for files on disk); unset: a browser. */
  grantFile?: ReaderApi['grantFile'];

  answer<C extends RequestChannel>(channel: C, responder: Responder<C>): this {
    this.responders.set(channel, responder as unknown as Responder<never>);
    return this;
  }

  async invoke<C extends RequestChannel>(channel: C, params: ParamsOf<C>): Promise<Result<ResultOf<C>>> {
    this.calls.push({ channel, params });
    const responder = this.responders.get(channel) as Responder<C> | undefined;
    if (!responder) return fail('UNKNOWN_METHOD', `(${channel})`);
    const answer = await responder(params);
    return isResult(answer) ? answer : ok(answer);
  }

  on<E extends PushChannel>(event: E, listener: (data: PushMap[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (data: never) => void);
    return () => set.delete(listener as (data: never) => void);
  }

  push<E extends PushChannel>(event: E, data: PushMap[E]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (data: PushMap[E]) => void)(data);
  }

  /** The params of every call made on a channel, in order. */
  paramsOf<C extends RequestChannel>(channel: C): ParamsOf<C>[] {
    return this.calls.filter((call) => call.channel === channel).map((call) => call.params as ParamsOf<C>);
  }
}

function isResult<T>(value: unknown): value is Result<T> {
  return typeof value === 'object' && value !== null && 'ok' in value && typeof (value as { ok: unknown }).ok === 'boolean' && ('value' in value || 'error' in value);
}
