import type { Settings } from '../settings/types';
import { parseListenAddress, type ListenAddress } from '../settings/listenAddress';

export { formatAddress, parseListenAddress, type ListenAddress } from '../settings/listenAddress';

export interface PublicAddress extends ListenAddress {
  /** Which setting gave the port, for messages: "listenAddress", "proxyPort", "appPort", "PORT", "default". */
  source: string;
}

/** The port used when nothing says otherwise, like most Go HTTP examples. */
export const DEFAULT_PUBLIC_PORT = 8080;

/**
 * The public address of the handoff and proxy strategies, in this order:
 *
 * 1. `listenAddress` (host and port);
 * 2. `proxyPort` (air's `proxy.proxy_port`: the port the browser uses);
 * 3. for handoff only, `appPort`: with handoff the program's own port is the public one (the proxy
 *    strategy gives the program a port of its own, so there `appPort` is where the program listens);
 * 4. `PORT` in the program's environment (settings `env`, then the env files, then the engine's own
 *    environment), so a program that reads PORT is reached where it would be without the engine;
 * 5. 8080.
 *
 * The host is every interface unless `listenAddress` names one, as Go's ":8080" would.
 */
export function publicAddress(
  settings: Pick<Settings, 'proxyPort' | 'appPort' | 'env'> & { listenAddress?: string },
  strategy: 'handoff' | 'proxy',
  programEnv: Record<string, string | undefined> = {},
): PublicAddress {
  if (settings.listenAddress !== undefined) {
    const parsed = parseListenAddress(settings.listenAddress);
    if (typeof parsed === 'string') throw new Error(parsed);
    return { ...parsed, source: 'listenAddress' };
  }
  if (settings.proxyPort !== undefined) return { host: '', port: settings.proxyPort, source: 'proxyPort' };
  if (strategy === 'handoff' && settings.appPort !== undefined) return { host: '', port: settings.appPort, source: 'appPort' };
  const envPort = settings.env.PORT ?? programEnv.PORT;
  if (envPort !== undefined && /^\d+$/.test(envPort.trim())) {
    const n = Number(envPort.trim());
    if (n >= 1 && n <= 65535) return { host: '', port: n, source: 'PORT' };
  }
  return { host: '', port: DEFAULT_PUBLIC_PORT, source: 'default' };
}
