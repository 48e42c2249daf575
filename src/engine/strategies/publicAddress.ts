import type { Settings } from '../settings/types';
import { parseListenAddress, type ListenAddress } from '../settings/listenAddress';

export { formatAddress, parseListenAddress, type ListenAddress } from '../settings/listenAddress';

export interface PublicAddress extends ListenAddress {
  /** Which setting gave the port, for messages: "listenAddress", "proxyPort", "appPort", "PORT", "default". */
  source: string;
}

/** The URL a browser opens for a listening address. */
export function pageUrl(address: ListenAddress): string {
  const { host, port } = address;
  const name = host === '' || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}/`;
}

/** The port used when nothing says otherwise, like most Go HTTP examples. */
export const DEFAULT_PUBLIC_PORT = 8080;

/**
 * Where a program that opens its own port is reached (restart): `appPort`, else the `PORT` its
 * environment sets, else 8080, on every interface. A guess for programs that ignore all three.
 */
export function programAddress(settings: Pick<Settings, 'appPort' | 'env'>, programEnv: Record<string, string | undefined> = {}): PublicAddress {
  if (settings.appPort !== undefined) return { host: '', port: settings.appPort, source: 'appPort' };
  return envPort(settings, programEnv) ?? { host: '', port: DEFAULT_PUBLIC_PORT, source: 'default' };
}

function envPort(settings: Pick<Settings, 'env'>, programEnv: Record<string, string | undefined>): PublicAddress | undefined {
  const text = settings.env.PORT ?? programEnv.PORT;
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n >= 1 && n <= 65535 ? { host: '', port: n, source: 'PORT' } : undefined;
}

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
  return envPort(settings, programEnv) ?? { host: '', port: DEFAULT_PUBLIC_PORT, source: 'default' };
}
