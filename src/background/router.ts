/**
 * The background's message router: decides who is asking, whether they may ask
 * this, whether the payload has the right shape, and always answers a Result.
 * Nothing thrown by a handler escapes: the caller gets an `internal` error reply.
 */
import { isMethod, METHOD_POLICIES, type Method, type SenderKind } from '../shared/protocol';
import { fail, type Result } from '../shared/result';
import type { SenderInfo } from '../platform/extension-api';
import type { Handlers } from './handlers';

export interface ExtensionIdentity {
  runtimeId: string;
  /** `chrome-extension://<id>/` (or `moz-extension://<uuid>/`), with the trailing slash. */
  extensionOrigin: string;
}

/** Content script (inside some web page) or one of our own pages; null for anything else. */
export function classifySender(sender: SenderInfo, identity: ExtensionIdentity): SenderKind | null {
  if (sender.id !== identity.runtimeId) return null;
  // Checked first: an extension page opened in a tab also carries `tab`.
  if (typeof sender.url === 'string' && sender.url.startsWith(identity.extensionOrigin)) return 'extension-page';
  if (sender.tab !== undefined && sender.tab !== null) return 'content-script';
  return null;
}

export type Router = (message: unknown, sender: SenderInfo) => Promise<Result<unknown>>;

export function createRouter(handlers: Handlers, identity: ExtensionIdentity, log: (error: unknown) => void = console.error): Router {
  return async (message, sender) => {
    const kind = classifySender(sender, identity);
    if (kind === null) return fail('forbidden', 'messages are accepted only from this extension');
    if (typeof message !== 'object' || message === null) {
      return fail('invalid-request', 'a request must be an object { method, payload }');
    }
    const { method, payload } = message as { method?: unknown; payload?: unknown };
    if (!isMethod(method)) return fail('unknown-method', `unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
    const policy = METHOD_POLICIES[method];
    if (!policy.allowedSenders.includes(kind)) return fail('forbidden', `${method} may not be sent by a ${kind}`);
    if (!policy.isPayload(payload)) return fail('invalid-request', `malformed payload for ${method}`);
    try {
      return await dispatch(handlers, method, payload, kind, tabIdOf(sender));
    } catch (error) {
      log(error);
      return fail('internal', `${method} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** The sender's tab id, when it is a tab (the badge of reportMarks is set on it). */
function tabIdOf(sender: SenderInfo): number | undefined {
  const tab = sender.tab as { id?: unknown } | undefined | null;
  return typeof tab === 'object' && tab !== null && typeof tab.id === 'number' ? tab.id : undefined;
}

function dispatch<M extends Method>(handlers: Handlers, method: M, payload: unknown, kind: SenderKind, tabId: number | undefined): Promise<Result<unknown>> {
  // The policy's guard has just proven the payload's shape for this method.
  const handler = handlers[method] as (payload: unknown, sender: SenderKind, tabId?: number) => Promise<Result<unknown>>;
  return handler(payload, kind, tabId);
}
